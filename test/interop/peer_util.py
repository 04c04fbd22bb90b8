"""Helpers both interop peers share (slixmpp_peer.py for SI, jingle_peer.py for Jingle): JSON-lines events,
element building, and the receiving side's file naming."""
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
