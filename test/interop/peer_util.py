"""Helpers both interop peers share (slixmpp_peer.py for SI, jingle_peer.py for Jingle): JSON-lines events,
element building, and the receiving side's file naming."""
import argparse
import asyncio
import json
import logging
import os
import re
import sys

from slixmpp.xmlstream import ET


def emit(event, **fields):
    """One JSON line on stdout: what the TypeScript driver reads."""
    sys.stdout.write(json.dumps({'event': event, **fields}) + '\n')
    sys.stdout.flush()


def el(tag, ns, children=(), text=None, **attrs):
    """An element {ns}tag; attribute names use '-' for '_', and attributes given as None are left out."""
    node = ET.Element(f'{{{ns}}}{tag}', {k.replace('_', '-'): str(v) for k, v in attrs.items() if v is not None})
    node.extend(children)
    node.text = text
    return node


def safe_name(name):
    """A received name without directories, control or bidi characters, or characters Windows refuses."""
    name = re.sub(r'[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]', '_', os.path.basename(name or ''))
    return name.strip(' .')[:200] or 'file'


def free_path(directory, name):
    """A path in directory for name that overwrites nothing ("name (1).ext" and so on)."""
    stem, ext = os.path.splitext(name)
    for n in range(1000):
        path = os.path.join(directory, name if n == 0 else f'{stem} ({n}){ext}')
        if not os.path.exists(path):
            return path
    raise FileExistsError(name)


EXIT = {'done': 0, 'failed': 1, 'login': 3, 'timeout': 4, 'declined': 5}


def run_bounded(run, args, on_timeout):
    """Runs the peer's coroutine run(args) within args.timeout seconds, then exits with its outcome's code
    (on_timeout() reports a timeout first). os._exit: no lingering slixmpp task may keep the process alive."""
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR, stream=sys.stderr)

    async def bounded():
        try:
            outcome = await asyncio.wait_for(run(args), args.timeout)
        except asyncio.TimeoutError:
            on_timeout()
            outcome = 'timeout'
        sys.stdout.flush()
        os._exit(EXIT[outcome])
    asyncio.run(bounded())


def describe(error):
    """An error in a few words: the IQ error's condition and text, 'timed out', or the exception's message."""
    from slixmpp.exceptions import IqError, IqTimeout
    if isinstance(error, IqError):
        return f"{error.iq['error']['condition']} {error.iq['error']['text'] or ''}".strip()
    if isinstance(error, (IqTimeout, asyncio.TimeoutError)):
        return 'timed out'
    return str(error) or type(error).__name__


async def run_session(peer, args, receiver, send):
    """Connects the peer (plaintext, loopback), reports 'ready', then awaits the receiver's wait() or send();
    the outcome is 'login' when the login failed within 20 s."""
    peer.connect((args.host, args.port), disable_starttls=True, force_starttls=False)
    try:
        await asyncio.wait_for(peer.online, 20)
    except Exception as e:  # noqa: BLE001
        emit('failed', reason=f'login: {describe(e)}')
        return 'login'
    emit('ready', jid=peer.boundjid.full)
    outcome = await (receiver.wait() if receiver else send())
    peer.disconnect(wait=1.0)
    await asyncio.sleep(0.2)
    return outcome


def base_parser(doc):
    """The options every peer takes (login, bounded runtime, debug log) and its subcommands' parser."""
    p = argparse.ArgumentParser(description=doc.split('\n')[0])
    p.add_argument('--jid', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=5222)
    p.add_argument('--timeout', type=float, default=60.0, help='the process exits by itself after this many seconds')
    p.add_argument('-v', '--verbose', action='store_true', help='slixmpp debug log on stderr')
    return p, p.add_subparsers(dest='command', required=True)


def main_bounded(parse_args, run):
    """Parses sys.argv and runs the peer within its --timeout (see run_bounded)."""
    args = parse_args(sys.argv[1:])
    run_bounded(run, args, lambda: emit('failed', reason=f'timeout after {args.timeout:g} s'))


def make_online_peer_class():
    """slixmpp's ClientXMPP with an `online` future: set when the session started (presence sent, roster
    fetched), failed with the reason when the login or the connection failed. Built lazily so this module
    imports without slixmpp's client for the pure helpers."""
    from slixmpp import ClientXMPP

    class OnlinePeer(ClientXMPP):
        def __init__(self, args, plugins=()):
            super().__init__(args.jid, args.password)
            for name, config in plugins:
                self.register_plugin(name, config)
            self.online = asyncio.get_running_loop().create_future()
            self.add_event_handler('session_start', self.on_start)
            self.add_event_handler('failed_all_auth', lambda _: self.not_online('authentication failed'))
            self.add_event_handler('connection_failed', lambda e: self.not_online(f'cannot connect: {e}'))

        def not_online(self, reason):
            if not self.online.done():
                self.online.set_exception(ConnectionError(reason))

        async def on_start(self, _):
            self.send_presence()
            await self.get_roster(timeout=10)
            if not self.online.done():
                self.online.set_result(True)

    return OnlinePeer
