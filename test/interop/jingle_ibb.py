"""XEP-0261 Jingle In-Band Bytestreams transport over our own XEP-0047 handling (slixmpp's xep_0047 is not
used: the peer checks sid, block-size and seq itself). Written from the XEP texts.

Receiving: an IbbReceiver is registered for (peer full JID, IBB sid) once the Jingle negotiation (session-accept
or transport-accept) authorised that sid; <open/> must carry the negotiated block-size (XEP-0261 §2.2: else
resource-constraint), <data/> must come in seq order (16 bits, wraps to 0) and be no larger than the block-size.
"""
import asyncio
import base64
import binascii
import collections
import re

from jingle_common import IDLE_S, IQ_S, NS_IBB, NS_JIBB, b64, el, emit, iq_error, local

DEFAULT_BLOCK = 4096


def transport_el(sid, block, stanza='iq'):
    return el('transport', NS_JIBB, sid=sid, block_size=block, stanza=None if stanza == 'iq' else stanza)


def parse(transport):
    """(sid, block-size, stanza) of a <transport xmlns='urn:xmpp:jingle:transports:ibb:1'/>."""
    block = transport.get('block-size', '')
    return transport.get('sid'), int(block) if block.isdigit() else DEFAULT_BLOCK, transport.get('stanza', 'iq')


class IbbReceiver:
    def __init__(self, session, sid, block, sink):
        self.session, self.sid, self.block, self.sink = session, sid, block, sink
        self.opened = False
        self.closed = asyncio.Event()
        self.seq = 0
        self.stanza = None


class IbbRouter:
    """Routes incoming <open/>, <data/> (in <iq/> or <message/>) and <close/> to the registered receivers."""

    def __init__(self):
        self.receivers = {}

    def expect(self, session, sid, block, sink):
        r = IbbReceiver(session, sid, block, sink)
        self.receivers[(session.peer, sid)] = r
        return r

    def forget(self, session, sid):
        self.receivers.pop((session.peer, sid), None)

    def on_stanza(self, stanza):
        is_iq = stanza.xml.tag == '{jabber:client}iq'
        if is_iq and stanza['type'] != 'set':
            return
        child = next((c for c in stanza.xml if c.tag.startswith(f'{{{NS_IBB}}}')), None)
        if child is None:
            return
        kind, sid = local(child.tag), child.get('sid')
        r = self.receivers.get((str(stanza['from']), sid))
        if kind == 'open':
            return self.on_open(stanza, child, r) if is_iq else None
        if r is None or (kind == 'data' and not r.opened):
            return iq_error(stanza, 'cancel', 'item-not-found') if is_iq else None
        if kind == 'close':
            stanza.reply().send()
            r.closed.set()
            emit('ibb', sid=r.session.sid, ibb_sid=sid, state='closed', bytes=r.sink.bytes)
            if not r.sink.complete.is_set():
                r.sink.fail(f'ibb: closed after {r.sink.bytes} of {r.sink.expected} bytes')
            self.receivers.pop((str(stanza['from']), sid), None)
            return
        if kind != 'data':
            return iq_error(stanza, 'cancel', 'feature-not-implemented') if is_iq else None
        seq = child.get('seq', '')
        if not seq.isdigit() or int(seq) != r.seq:
            r.sink.fail(f'ibb: got seq {seq or "(none)"}, expected {r.seq}')
            return iq_error(stanza, 'cancel', 'unexpected-request') if is_iq else None
        try:
            data = base64.b64decode(re.sub(r'\s+', '', child.text or ''), validate=True)
        except (binascii.Error, ValueError):
            r.sink.fail(f'ibb: block {seq} is not valid base64')
            return iq_error(stanza, 'modify', 'bad-request') if is_iq else None
        if len(data) > r.block:
            r.sink.fail(f'ibb: block {seq} has {len(data)} bytes, more than the block-size {r.block}')
            return iq_error(stanza, 'modify', 'bad-request') if is_iq else None
        r.seq = (r.seq + 1) & 0xffff
        if not r.sink.write(data, 'ibb'):
            return iq_error(stanza, 'cancel', 'not-acceptable') if is_iq else None
        if is_iq:
            stanza.reply().send()

    def on_open(self, iq, child, r):
        if r is None:
            return iq_error(iq, 'cancel', 'not-acceptable', text='no Jingle session authorised this IBB sid')
        block = child.get('block-size', '')
        if not block.isdigit() or int(block) != r.block:
            emit('warning', sid=r.session.sid, message=f'IBB open with block-size {block}, negotiated {r.block}')
            return iq_error(iq, 'modify', 'resource-constraint', text=f'negotiated block-size is {r.block}')
        r.opened, r.stanza = True, child.get('stanza', 'iq')
        emit('ibb', sid=r.session.sid, ibb_sid=r.sid, state='open', block_size=r.block, stanza=r.stanza)
        iq.reply().send()


async def send(x, to, sid, block, stanza, path, offset, length, progress, window=1):
    """Opens the IBB session, sends length bytes from offset in <data/> blocks, closes it. With iq, at most
    window blocks are unacknowledged; with message, a server ping every ~256 KiB bounds what is in flight."""
    opener = x.make_iq_set(ito=to)
    opener.append(el('open', NS_IBB, block_size=block, sid=sid, stanza=stanza))
    await opener.send(timeout=IQ_S)
    emit('ibb', ibb_sid=sid, state='open', block_size=block, stanza=stanza)
    pending = collections.deque()
    seq, left, blocks = 0, length, 0
    ping_every = min(4096, max(64, 262144 // block))
    with open(path, 'rb') as fh:
        fh.seek(offset)
        while left > 0:
            chunk = fh.read(min(block, left))
            if not chunk:
                raise ValueError('the file is shorter than announced')
            data = el('data', NS_IBB, text=b64(chunk), seq=seq, sid=sid)
            if stanza == 'iq':
                iq = x.make_iq_set(ito=to)
                iq.append(data)
                pending.append(iq.send(timeout=IDLE_S))
                while len(pending) >= window:
                    await pending.popleft()
            else:
                msg = x.make_message(mto=to)
                msg.append(data)
                msg.send()
                blocks += 1
                if blocks % ping_every == 0:
                    ping = x.make_iq_get(ito=x.boundjid.domain)
                    ping.append(el('ping', 'urn:xmpp:ping'))
                    await ping.send(timeout=IDLE_S)
            seq = (seq + 1) & 0xffff
            left -= len(chunk)
            progress.add(len(chunk))
    while pending:
        await pending.popleft()
    closer = x.make_iq_set(ito=to)
    closer.append(el('close', NS_IBB, sid=sid))
    await closer.send(timeout=IQ_S)
    emit('ibb', ibb_sid=sid, state='closed', bytes=length)
