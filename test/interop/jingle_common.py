"""Shared pieces of the Jingle interop peer (jingle_peer.py): namespaces, JSON-lines output, XML helpers,
hashes (XEP-0300), the received-file sink and the per-session event inbox. Written from the XEP texts."""
import asyncio
import base64
import hashlib
import os
import sys
import time
import uuid

from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET

sys.dont_write_bytecode = True  # no __pycache__ next to the peer in the work tree
from peer_util import el, emit, free_path, safe_name  # noqa: E402,F401

NS_J = 'urn:xmpp:jingle:1'
NS_JE = 'urn:xmpp:jingle:errors:1'
NS_FT = 'urn:xmpp:jingle:apps:file-transfer:5'
NS_FTE = 'urn:xmpp:jingle:apps:file-transfer:errors:0'
NS_S5B = 'urn:xmpp:jingle:transports:s5b:1'
NS_JIBB = 'urn:xmpp:jingle:transports:ibb:1'
NS_IBB = 'http://jabber.org/protocol/ibb'
NS_BS = 'http://jabber.org/protocol/bytestreams'
NS_HASH = 'urn:xmpp:hashes:2'
NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas'

IQ_S = 10.0       # longest wait for the answer to one IQ
IDLE_S = 30.0     # longest silence on a running bytestream
CHUNK = 256 * 1024

# XEP-0300 §4 / IANA hash names -> hashlib constructors
HASHES = {
    'sha-1': hashlib.sha1, 'sha-224': hashlib.sha224, 'sha-256': hashlib.sha256, 'sha-384': hashlib.sha384,
    'sha-512': hashlib.sha512, 'sha3-256': hashlib.sha3_256, 'sha3-512': hashlib.sha3_512,
    'blake2b-256': lambda: hashlib.blake2b(digest_size=32), 'blake2b-512': lambda: hashlib.blake2b(digest_size=64),
}


class StepTimeout(Exception):
    """One bounded step of the protocol did not complete in time."""






def q(ns, *path):
    return '/'.join(f'{{{ns}}}{p}' for p in path)


def local(tag):
    return tag.rsplit('}', 1)[-1]


def rid(n=10):
    return uuid.uuid4().hex[:n]


def describe(error):
    if isinstance(error, IqError):
        return f"{error.iq['error']['condition']} {error.iq['error']['text'] or ''}".strip()
    if isinstance(error, (IqTimeout, asyncio.TimeoutError, StepTimeout)):
        return f'timed out{": " + str(error) if str(error) else ""}'
    return str(error) or type(error).__name__


def iq_error(iq, etype, condition, text=None, app=None):
    """Replies to iq with an error; app is an extra application-specific condition element."""
    reply = iq.reply()
    reply.error()
    reply['error']['type'] = etype
    reply['error']['condition'] = condition
    if text:
        reply['error']['text'] = text
    if app is not None:
        reply['error'].xml.append(app)
    reply.send()


def hash_file(path, algo, offset=0, length=None):
    h = HASHES[algo]()
    with open(path, 'rb') as fh:
        fh.seek(offset)
        left = length if length is not None else float('inf')
        while left > 0 and (chunk := fh.read(int(min(CHUNK, left)))):
            h.update(chunk)
            left -= len(chunk)
    return h.digest()


def b64(digest):
    return base64.b64encode(digest).decode('ascii')


def parse_hashes(parent):
    """[(algo, value-or-None)] of <hash/> and <hash-used/> (XEP-0300 urn:xmpp:hashes:2) children of parent."""
    found = []
    for h in parent.iterfind(f'{{{NS_HASH}}}hash'):
        found.append((h.get('algo', ''), (h.text or '').strip() or None))
    for h in parent.iterfind(f'{{{NS_HASH}}}hash-used'):
        found.append((h.get('algo', ''), None))
    return found






class Progress:
    """Counts bytes and reports at most four progress events a second (and always the last one)."""

    def __init__(self, sid, total):
        self.sid, self.total, self.bytes, self.last = sid, total, 0, 0.0

    def add(self, count):
        self.bytes += count
        now = time.monotonic()
        if now - self.last >= 0.25 or self.bytes == self.total:
            self.last = now
            emit('progress', sid=self.sid, bytes=self.bytes, size=self.total)


class Sink:
    """The received bytes: a .part file in the download dir, sha-256 while streaming, complete at `expected`."""

    def __init__(self, directory, name, sid, expected):
        self.directory, self.safe, self.expected = directory, safe_name(name), expected
        self.part = os.path.join(directory, f'{self.safe}.{rid(8)}.part')
        self.fh = open(self.part, 'wb')
        self.sha256 = hashlib.sha256()
        self.progress = Progress(sid, expected)
        self.complete = asyncio.Event()
        self.error = None
        self.transport = None

    @property
    def bytes(self):
        return self.progress.bytes

    def write(self, data, transport):
        """False (and error set) when data would run past the announced size (XEP-0234 §'File too Large')."""
        if self.error or self.complete.is_set() and data:
            self.error = self.error or f'{transport}: data after the announced {self.expected} bytes'
            return False
        self.transport = transport
        if self.bytes + len(data) > self.expected:
            self.error = f'{transport}: more data than the announced {self.expected} bytes'
            self.complete.set()
            return False
        self.fh.write(data)
        self.sha256.update(data)
        self.progress.add(len(data))
        if self.bytes == self.expected:
            self.fh.flush()
            self.complete.set()
        return True

    def fail(self, reason):
        if not self.error:
            self.error = reason
        self.complete.set()

    def keep(self):
        self.fh.close()
        path = free_path(self.directory, self.safe)
        os.rename(self.part, path)
        return os.path.abspath(path)

    def discard(self):
        self.fh.close()
        if os.path.exists(self.part):
            os.unlink(self.part)


class Session:
    """One Jingle session (XEP-0166): ids, roles, and an inbox of the actions the peer sent, already acked."""

    def __init__(self, xmpp, role, sid, me, peer):
        self.x, self.role, self.sid, self.me, self.peer = xmpp, role, sid, me, peer
        self.content = ('initiator', 'file')  # (creator, name) of the one content
        self.inbox = asyncio.Queue()
        self._next = None
        self.ended = False
        self.replace_pending = False  # we sent transport-replace and wait for its accept/reject
        self.ibb = None               # jingle_ibb.IbbReceiver while we expect in-band data

    @property
    def other_role(self):
        return 'responder' if self.role == 'initiator' else 'initiator'

    def push(self, action, jingle):
        self.inbox.put_nowait((action, jingle))

    async def wait(self, task=None, timeout=IDLE_S, what='the peer'):
        """('event', action, jingle) for the next action from the peer, or ('task', task) when task ends first.
        An event that is already queued wins. Raises StepTimeout after timeout seconds."""
        if self._next is None:
            self._next = asyncio.ensure_future(self.inbox.get())
        waiting = [self._next] + ([task] if task is not None else [])
        done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if self._next in done:
            action, jingle = self._next.result()
            self._next = None
            return 'event', action, jingle
        if task is not None and task in done:
            return 'task', task, None
        raise StepTimeout(f'waiting {timeout:g} s for {what}')

    def queued(self):
        """The actions already received and not yet taken by wait(), without waiting."""
        found = []
        if self._next is not None and self._next.done():
            found.append(self._next.result())
            self._next = None
        while not self.inbox.empty():
            found.append(self.inbox.get_nowait())
        return found

    def jingle(self, action, children=(), **attrs):
        return el('jingle', NS_J, list(children), action=action, sid=self.sid, **attrs)

    def content_el(self, children=(), **attrs):
        creator, name = self.content
        return el('content', NS_J, list(children), creator=creator, name=name, **attrs)

    async def send(self, action, children=(), info=None, timeout=IQ_S, **attrs):
        """Sends one Jingle action and waits for its ack; raises IqError / IqTimeout."""
        iq = self.x.make_iq_set(ito=self.peer)
        iq.append(self.jingle(action, children, **attrs))
        emit('jingle', dir='out', action=action, sid=self.sid, info=info)
        return await iq.send(timeout=timeout)

    async def terminate(self, condition, text=None, extra=None):
        """session-terminate with a reason (XEP-0166 §6.7); the session is over whatever the answer."""
        if self.ended:
            return
        self.ended = True
        reason = el('reason', NS_J, [el(condition, NS_J)] + ([el('text', NS_J, text=text)] if text else []) + ([extra] if extra is not None else []))
        emit('terminate', sid=self.sid, by=self.role, reason=condition, text=text)
        try:
            await self.send('session-terminate', [reason], info=condition)
        except (IqError, IqTimeout) as e:
            emit('warning', sid=self.sid, message=f'session-terminate not acknowledged: {describe(e)}')


def reason_of(jingle):
    """(condition, text) of a <reason/> in a Jingle element."""
    reason = jingle.find(f'{{{NS_J}}}reason')
    if reason is None:
        return None, None
    text = reason.find(f'{{{NS_J}}}text')
    cond = next((local(c.tag) for c in reason if c.tag != f'{{{NS_J}}}text' and c.tag.startswith(f'{{{NS_J}}}')), None)
    return cond, (text.text if text is not None else None)
