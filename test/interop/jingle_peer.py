"""Interop test peer: Jingle file transfer (XEP-0166, XEP-0234 :5, XEP-0260 S5B, XEP-0261 IBB, XEP-0300 hashes)
on slixmpp 1.8.3, written from the XEP texts (not from Ferry's code). slixmpp has no Jingle plugin: this peer
handles the raw stanzas itself: jingle_send.py (initiator), jingle_receive.py (responder), jingle_transfer.py
(transport phase, transport-replace), jingle_s5b.py (XEP-0260), jingle_ibb.py (XEP-0261 / XEP-0047),
jingle_common.py; SOCKS5 is peer_socks5.py (shared with the SI peer slixmpp_peer.py).

Run it with Debian's /usr/bin/python3 (python3-slixmpp). stdout: one JSON object per line; logs on stderr.
Exit codes: 0 done, 1 failed (also: hash mismatch), 3 cannot connect/log in, 4 timeout, 5 declined.
The event shapes are listed in test/support/jinglePeer.ts.
"""
import argparse
import asyncio
import os
import sys

from slixmpp import ClientXMPP
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

sys.dont_write_bytecode = True  # no __pycache__ next to the peer in the work tree
import jingle_ibb as jibb  # noqa: E402
from jingle_common import (IQ_S, NS_FT, NS_HASH, NS_IBB, NS_J, NS_JE, NS_JIBB, NS_S5B, describe, el, emit,  # noqa: E402
                           iq_error, local, q, reason_of)
from jingle_receive import Receiver  # noqa: E402
from jingle_send import send_file  # noqa: E402
from peer_util import run_bounded  # noqa: E402
from jingle_transfer import kind_of  # noqa: E402

FEATURES = ['urn:xmpp:jingle:1', NS_FT, NS_S5B, NS_JIBB, NS_HASH, 'urn:xmpp:hash-function-text-names:sha-256']
SI_FEATURES = ['http://jabber.org/protocol/si', 'http://jabber.org/protocol/si/profile/file-transfer',
               'http://jabber.org/protocol/bytestreams', NS_IBB]
ACTIONS = {'content-accept', 'content-add', 'content-modify', 'content-reject', 'content-remove', 'description-info',
           'security-info', 'session-accept', 'session-info', 'session-initiate', 'session-terminate',
           'transport-accept', 'transport-info', 'transport-reject', 'transport-replace'}
UNSUPPORTED = {'content-accept', 'content-add', 'content-modify', 'content-reject', 'content-remove', 'description-info', 'security-info'}


def summarize(jingle):
    """A short description of a Jingle element for the 'jingle' event."""
    action = jingle.get('action')
    if action == 'session-terminate':
        return reason_of(jingle)[0]
    if action == 'session-info':
        return ','.join(local(c.tag) for c in jingle) or 'ping'
    transport = next((c for c in jingle.iterfind(q(NS_J, 'content') + '/*') if local(c.tag) == 'transport'), None)
    if transport is None:
        return None
    kind = kind_of(transport) or transport.tag
    if action == 'transport-info':
        return ','.join(f"{local(c.tag)}{':' + c.get('cid') if c.get('cid') else ''}" for c in transport)
    return kind


class Peer(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.register_plugin('xep_0030')
        self.sessions = {}  # (peer full JID, Jingle sid) -> Session
        self.ibb = jibb.IbbRouter()
        self.receiver = None
        self.online = asyncio.get_running_loop().create_future()
        self.add_event_handler('session_start', self.on_start)
        self.add_event_handler('failed_all_auth', lambda _: self.not_online('authentication failed'))
        self.add_event_handler('connection_failed', lambda e: self.not_online(f'cannot connect: {e}'))
        self.register_handler(Callback('jingle', MatchXPath(f'{{jabber:client}}iq/{{{NS_J}}}jingle'), self.on_jingle))
        for kind in ('open', 'data', 'close'):
            self.register_handler(Callback(f'ibb {kind}', MatchXPath(f'{{jabber:client}}iq/{{{NS_IBB}}}{kind}'), self.ibb.on_stanza))
        self.register_handler(Callback('ibb message', MatchXPath(f'{{jabber:client}}message/{{{NS_IBB}}}data'), self.ibb.on_stanza))

    def not_online(self, reason):
        if not self.online.done():
            self.online.set_exception(ConnectionError(reason))

    async def on_start(self, _):
        disco = self['xep_0030']
        await disco.add_identity('client', 'pc', name='Ferry Jingle interop peer')
        for feature in FEATURES + (SI_FEATURES if self.args.advertise_si else []):
            await disco.add_feature(feature)
        self.send_presence()
        await self.get_roster(timeout=IQ_S)
        if not self.online.done():
            self.online.set_result(True)

    def on_jingle(self, iq):
        if iq['type'] != 'set':
            return
        jingle = iq.xml.find(q(NS_J, 'jingle'))
        action, sid, peer = jingle.get('action'), jingle.get('sid'), str(iq['from'])
        emit('jingle', dir='in', action=action, sid=sid, info=summarize(jingle))
        if action not in ACTIONS:
            return iq_error(iq, 'cancel', 'bad-request', text=f'unknown action {action}')
        s = self.sessions.get((peer, sid))
        if action == 'session-initiate':
            if s is not None:
                return iq_error(iq, 'cancel', 'unexpected-request', app=el('out-of-order', NS_JE))
            if self.receiver is None:
                return iq_error(iq, 'cancel', 'service-unavailable', text='this peer is sending, not receiving')
            if not sid or jingle.find(q(NS_J, 'content')) is None:
                return iq_error(iq, 'cancel', 'bad-request')
            iq.reply().send()
            return self.receiver.start(peer, sid, jingle)
        if s is None or s.ended:
            return iq_error(iq, 'cancel', 'item-not-found', app=el('unknown-session', NS_JE))
        if action in UNSUPPORTED:
            return iq_error(iq, 'cancel', 'feature-not-implemented')
        if action == 'session-info' and any(c.tag not in (q(NS_FT, 'checksum'), q(NS_FT, 'received')) for c in jingle):
            return iq_error(iq, 'modify', 'feature-not-implemented', app=el('unsupported-info', NS_JE))
        if action == 'transport-replace' and s.role == 'initiator' and s.replace_pending:  # XEP-0166 tie-break
            return iq_error(iq, 'cancel', 'conflict', app=el('tie-break', NS_JE))
        if action == 'session-terminate':
            s.ended = True
        iq.reply().send()
        s.push(action, jingle)


async def disco(x, jid):
    try:
        info = (await x['xep_0030'].get_info(jid=jid, timeout=IQ_S))['disco_info']
    except (IqError, IqTimeout) as e:
        emit('failed', reason='disco', text=describe(e))
        return 'failed'
    emit('disco', jid=jid, features=sorted(info['features']), identities=[[i[0], i[1], i[3]] for i in info['identities']])
    return 'done'


async def run(args):
    x = Peer(args)
    if args.command == 'receive':
        x.receiver = Receiver(x, x, args)
    x.connect((args.host, args.port), disable_starttls=True, force_starttls=False)
    try:
        await asyncio.wait_for(x.online, 20)
    except Exception as e:  # noqa: BLE001
        emit('failed', reason='login', text=describe(e))
        return 'login'
    emit('ready', jid=x.boundjid.full, mode=args.command, features=FEATURES + (SI_FEATURES if args.advertise_si else []))
    if args.command == 'disco':
        outcome = await disco(x, args.to)
    else:
        outcome = await (x.receiver.wait() if x.receiver else send_file(x, x, args))
    x.disconnect(wait=1.0)
    await asyncio.sleep(0.2)
    return outcome


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--jid', required=True, help='full JID, with the resource')
    p.add_argument('--password', required=True)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=5222)
    p.add_argument('--timeout', type=float, default=60.0, help='the process exits by itself (code 4) after this many seconds')
    p.add_argument('--advertise-si', action='store_true', help='also advertise the XEP-0096 SI features (SI is not implemented)')
    p.add_argument('-v', '--verbose', action='store_true', help='slixmpp debug log on stderr')
    sub = p.add_subparsers(dest='command', required=True)
    sub.add_parser('disco', help='print the disco#info of --to (features, identities) and exit').add_argument('--to', required=True)
    for name in ('send', 'receive'):
        c = sub.add_parser(name)
        c.add_argument('--no-candidates', action='store_true', help='offer no S5B candidate of our own (no SOCKS5 listener)')
        c.add_argument('--dead-candidate', action='store_true', help='also offer an unreachable direct candidate, with the highest priority')
        c.add_argument('--proxy', nargs='?', const='', default=None, metavar='JID',
                       help='also offer a proxy candidate: this SOCKS5 proxy, or the one discovered on the server')
        c.add_argument('--ibb-stanza', choices=['iq', 'message'], default='iq', help='stanza for IBB data we offer')
        if name == 'send':
            c.add_argument('--to', required=True, help='full JID of the responder')
            c.add_argument('--file', required=True)
            c.add_argument('--transport', choices=['s5b', 'ibb'], default='s5b', help='transport of the session-initiate')
            c.add_argument('--block-size', type=int, default=jibb.DEFAULT_BLOCK, help='IBB block-size we offer')
            c.add_argument('--ibb-window', type=int, default=1, help='unacknowledged IBB <iq/> blocks in flight')
            h = c.add_mutually_exclusive_group()
            h.add_argument('--hash-in-offer', dest='hash_after', action='store_false', help='sha-256 <hash/> in the offer (default)')
            h.add_argument('--hash-after', dest='hash_after', action='store_true', help='<hash-used/> in the offer, checksum session-info after the data')
            c.set_defaults(hash_after=False)
            c.add_argument('--corrupt-hash', action='store_true', help='announce a wrong sha-256')
            c.add_argument('--media-type', help='default: guessed from the name, else application/octet-stream')
            c.add_argument('--no-fallback', action='store_true', help='when S5B fails, terminate (connectivity-error) instead of transport-replace')
            c.add_argument('--accept-timeout', type=float, default=30.0, help='longest wait for session-accept')
            c.add_argument('--terminate-wait', type=float, default=15.0,
                           help='after the data, longest wait for the responder\'s session-terminate; then we terminate')
        else:
            c.add_argument('--dir', required=True)
            c.add_argument('--count', type=int, default=1, help='sessions to handle before exiting')
            a = c.add_mutually_exclusive_group()
            a.add_argument('--accept', dest='decline', action='store_false', help='accept offers (default)')
            a.add_argument('--decline', dest='decline', action='store_true', help='session-terminate <decline/> every offer')
            c.set_defaults(decline=False)
            c.add_argument('--transport', choices=['any', 's5b', 'ibb'], default='any',
                           help='s5b: refuse IBB (transport-reject / unsupported-transports); ibb: replace an S5B offer by IBB at once')
            c.add_argument('--block-size', type=int, default=0, help='largest IBB block-size we accept (0: any offered)')
            c.add_argument('--range-offset', type=int, default=0, help='ask for the file from this byte on (<range offset/> in session-accept)')
    return p.parse_args(argv)


def main():
    args = parse_args(sys.argv[1:])
    run_bounded(run, args, lambda: emit('failed', reason='timeout', text=f'timeout after {args.timeout:g} s'))


if __name__ == '__main__':
    main()
