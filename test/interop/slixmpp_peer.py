"""Interop test peer: XEP-0096 SI file transfer over XEP-0065 SOCKS5 and XEP-0047 IBB, on slixmpp 1.8.3.

Run it with Debian's /usr/bin/python3 (python3-slixmpp). slixmpp does the connection, SASL, roster,
presence, IQ plumbing, disco (xep_0030) and IBB (xep_0047, which works in 1.8.3). SI and SOCKS5 are our
own handlers on raw stanzas: 1.8.3's xep_0095 never runs its SI request handler (a coroutine registered
as a plain Callback), its offer() raises TypeError, and xep_0065 can neither serve a direct streamhost
nor pick streamhosts in order. stdout: one JSON object per line (see emit() calls); logs on stderr.
Exit codes: 0 done, 1 failed, 3 cannot connect/log in, 4 timeout, 5 declined.
"""
import asyncio
import hashlib
import os
import socket
import sys
import time
import uuid

from slixmpp import JID
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath

sys.dont_write_bytecode = True  # no __pycache__ next to the peer in the work tree
import peer_socks5 as s5  # noqa: E402
from peer_util import base_parser, describe, el, emit, free_path, main_bounded, make_online_peer_class, run_session, safe_name  # noqa: E402

NS_SI = 'http://jabber.org/protocol/si'
NS_FT = 'http://jabber.org/protocol/si/profile/file-transfer'
NS_FNEG = 'http://jabber.org/protocol/feature-neg'
NS_X = 'jabber:x:data'
NS_BS = 'http://jabber.org/protocol/bytestreams'
NS_IBB = 'http://jabber.org/protocol/ibb'
CHUNK = 256 * 1024
IDLE_S = 30.0    # longest silence on a running bytestream
S5B_S = 20.0     # longest wait for the target's streamhost-used (it tries hosts in order)







def iq_error(iq, etype, condition, text=None, si_condition=None):
    reply = iq.reply()
    reply.error()
    reply['error']['type'] = etype
    reply['error']['condition'] = condition
    if text:
        reply['error']['text'] = text
    if si_condition:
        reply['error'].xml.append(el(si_condition, NS_SI))
    reply.send()


class Progress:
    """Counts bytes and reports at most four progress events a second."""

    def __init__(self, sid, size):
        self.sid, self.size, self.bytes, self.last = sid, size, 0, 0.0

    def add(self, count):
        self.bytes += count
        now = time.monotonic()
        if now - self.last >= 0.25:
            self.last = now
            emit('progress', sid=self.sid, bytes=self.bytes, size=self.size)


class Peer(make_online_peer_class()):
    def __init__(self, args):
        super().__init__(args, [('xep_0030', None), ('xep_0047', {'max_block_size': 65536})])






class Incoming:
    """One file being received: .part file, hashes while streaming, rename when complete and verified."""

    def __init__(self, rx, peer, sid, name, size, md5):
        self.rx, self.peer, self.sid, self.name, self.size, self.md5_expected = rx, peer, sid, name, size, md5
        self.safe = safe_name(name)
        self.part = os.path.join(rx.args.dir, f'{self.safe}.{uuid.uuid4().hex[:8]}.part')
        self.fh = open(self.part, 'wb')
        self.sha256, self.md5 = hashlib.sha256(), hashlib.md5()
        self.progress = Progress(sid, size)
        self.transport, self.ended = None, False

    def write(self, data, transport):
        if self.ended:
            return False
        self.transport = transport
        if self.progress.bytes + len(data) > self.size:
            self.fail(f'{transport}: more data than the offered {self.size} bytes')
            return False
        self.fh.write(data)
        self.sha256.update(data)
        self.md5.update(data)
        self.progress.add(len(data))
        return True

    def finish(self):
        if self.ended:
            return
        if self.progress.bytes != self.size:
            return self.fail(f'{self.transport}: stream ended after {self.progress.bytes} of {self.size} bytes')
        if self.md5_expected and self.md5.hexdigest() != self.md5_expected.lower():
            return self.fail('md5 of the received file differs from the offered hash')
        self.fh.close()
        path = free_path(self.rx.args.dir, self.safe)
        os.rename(self.part, path)
        self.ended = True
        emit('done', sid=self.sid, name=self.name, size=self.size, sha256=self.sha256.hexdigest(),
             transport=self.transport, path=os.path.abspath(path), **{'from': self.peer})
        self.rx.ended('done')

    def fail(self, reason):
        if self.ended:
            return
        self.ended = True
        self.fh.close()
        if os.path.exists(self.part):
            os.unlink(self.part)
        emit('failed', sid=self.sid, name=self.name, reason=reason)
        self.rx.ended('failed')


class Receiver:
    def __init__(self, xmpp, args):
        self.x, self.args = xmpp, args
        self.transfers = {}  # (peer full JID, sid) -> Incoming
        self.tasks = set()
        self.outcomes = []
        self.all_ended = asyncio.Event()
        xmpp.register_handler(CoroutineCallback('peer SI', MatchXPath(f'{{jabber:client}}iq/{{{NS_SI}}}si'), self.on_si))
        xmpp.register_handler(CoroutineCallback('peer S5B', MatchXPath(f'{{jabber:client}}iq/{{{NS_BS}}}query'), self.on_s5b))
        xmpp.add_event_handler('ibb_stream_start', self.on_ibb_start)
        xmpp.add_event_handler('ibb_stream_data', self.on_ibb_data)
        xmpp.add_event_handler('ibb_stream_end', self.on_ibb_end)

    def ended(self, outcome):
        self.outcomes.append(outcome)
        if len(self.outcomes) >= self.args.count:
            self.all_ended.set()

    async def wait(self):
        try:
            await self.all_ended.wait()
        finally:
            for t in self.transfers.values():
                t.fail('receiver stopped')
        return next((o for o in ('failed', 'declined') if o in self.outcomes), 'done')

    async def on_si(self, iq):
        if iq['type'] != 'set':
            return
        si = iq.xml.find(f'{{{NS_SI}}}si')
        file = si.find(f'{{{NS_FT}}}file')
        sid, peer = si.get('id', ''), str(iq['from'])
        field = f'{{{NS_FNEG}}}feature/{{{NS_X}}}x/{{{NS_X}}}field'
        methods = [v.text for f in si.iterfind(field) if f.get('var') == 'stream-method'
                   for v in f.iterfind(f'{{{NS_X}}}option/{{{NS_X}}}value')]
        if file is None or not sid or si.get('profile') != NS_FT or not file.get('size', '').isdigit():
            return iq_error(iq, 'modify', 'bad-request', si_condition='bad-profile')
        name, size = file.get('name', ''), int(file.get('size'))
        emit('offer', sid=sid, name=name, size=size, hash=file.get('hash'), methods=methods, **{'from': peer})
        if self.args.accept == 'none' or (peer, sid) in self.transfers:
            iq_error(iq, 'cancel', 'forbidden', text='Offer Declined')
            emit('declined', sid=sid, name=name)
            return self.ended('declined')
        order = [NS_IBB, NS_BS] if self.args.prefer == 'ibb' else [NS_BS, NS_IBB]
        chosen = next((m for m in order if m in methods), None)
        if chosen is None:
            return iq_error(iq, 'modify', 'bad-request', si_condition='no-valid-streams')
        self.transfers[(peer, sid)] = Incoming(self, peer, sid, name, size, file.get('hash'))
        # IBB on this sid is accepted whatever was chosen: Spark opens IBB after S5B fails (seed 001).
        self.x['xep_0047'].api['preauthorize_sid'](iq['to'], sid, iq['from'])
        value = el('value', NS_X, text=chosen)
        form = el('x', NS_X, [el('field', NS_X, [value], var='stream-method')], type='submit')
        reply = iq.reply()
        reply.append(el('si', NS_SI, [el('feature', NS_FNEG, [form])]))
        reply.send()

    async def on_s5b(self, iq):
        query = iq.xml.find(f'{{{NS_BS}}}query')
        if iq['type'] != 'set' or query.find(f'{{{NS_BS}}}streamhost') is None:
            return
        sid = query.get('sid', '')
        t = self.transfers.get((str(iq['from']), sid))
        if t is None or t.ended:
            return iq_error(iq, 'cancel', 'not-acceptable')
        addr = query.get('dstaddr') or s5.dst_addr(sid, iq['from'], iq['to'])
        hosts = [] if self.args.s5b_fail else query.iterfind(f'{{{NS_BS}}}streamhost')
        for host in hosts:
            try:
                reader, writer = await s5.connect(host.get('host'), host.get('port'), addr)
            except Exception as e:  # noqa: BLE001 - any failure moves on to the next streamhost
                emit('attempt', sid=sid, streamhost=host.get('jid'), host=host.get('host'), port=host.get('port'), error=describe(e))
                continue
            transport = 's5b-direct' if JID(host.get('jid')) == iq['from'] else 's5b-proxy'
            reply = iq.reply()
            reply.append(el('query', NS_BS, [el('streamhost-used', NS_BS, jid=host.get('jid'))], sid=sid))
            reply.send()
            task = asyncio.ensure_future(self.pump(t, reader, writer, transport))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            return
        iq_error(iq, 'cancel', 'item-not-found')  # the sender may now open IBB on the same sid

    async def pump(self, t, reader, writer, transport):
        try:
            while t.progress.bytes < t.size and not t.ended:
                data = await asyncio.wait_for(reader.read(CHUNK), IDLE_S)
                if not data or not t.write(data, transport):
                    break
            t.finish()
        except Exception as e:  # noqa: BLE001
            t.fail(f'{transport}: {describe(e)}')
        finally:
            writer.close()

    def on_ibb_start(self, stream):
        if self.args.ibb_first_seq:  # test-only: expect the first <data/> at this seq (see send --ibb-first-seq)
            stream.recv_seq = self.args.ibb_first_seq - 1

    def on_ibb_data(self, stream):
        t = self.transfers.get((str(stream.peer_jid), stream.sid))
        while t and not stream.recv_queue.empty():
            t.write(stream.recv_queue.get_nowait(), 'ibb')

    def on_ibb_end(self, stream):
        t = self.transfers.get((str(stream.peer_jid), stream.sid))
        if t:
            self.on_ibb_data(stream)
            t.finish()


async def find_proxy(x, jid):
    """(jid, host, port) of the given proxy, or of the first the server lists (XEP-0065 §4)."""
    if jid:
        candidates = [jid]
    else:
        items = await x['xep_0030'].get_items(x.boundjid.domain, timeout=5)
        candidates = [item[0] for item in items['disco_items']['items']]
    for candidate in candidates:
        try:
            if not jid:
                info = await x['xep_0030'].get_info(candidate, timeout=5)
                if not any(i[0] == 'proxy' and i[1] == 'bytestreams' for i in info['disco_info']['identities']):
                    continue
            iq = x.make_iq_get(ito=candidate)
            iq.append(el('query', NS_BS))
            host = (await iq.send(timeout=5)).xml.find(f'{{{NS_BS}}}query/{{{NS_BS}}}streamhost')
            if host is not None:
                return host.get('jid') or candidate, host.get('host'), int(host.get('port'))
        except (IqError, IqTimeout):
            continue
    return None


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


async def s5b_connect(x, to, sid, listener, proxy, dead=False):
    """Requester side of XEP-0065: offer streamhosts, return (reader, writer, transport) of the used one.
    With dead, the only streamhost offered is a closed loopback port (a streamhost the target cannot reach)."""
    me = x.boundjid.full
    addr = s5.dst_addr(sid, me, to)
    hosts, direct = [], None
    if dead:
        hosts.append((me, '127.0.0.1', closed_port()))
    if listener:
        direct = listener.expect(addr)
        hosts.append((me, '127.0.0.1', listener.port))
    if proxy:
        hosts.append(proxy)
    iq = x.make_iq_set(ito=to)
    iq.append(el('query', NS_BS, [el('streamhost', NS_BS, jid=j, host=h, port=p) for j, h, p in hosts], sid=sid, mode='tcp'))
    used = (await iq.send(timeout=S5B_S)).xml.find(f'{{{NS_BS}}}query/{{{NS_BS}}}streamhost-used')
    used = JID(used.get('jid') if used is not None else '')
    if direct and used == x.boundjid:
        return *await asyncio.wait_for(direct, s5.HANDSHAKE_S), 's5b-direct'
    if proxy and used == JID(proxy[0]):
        reader, writer = await s5.connect(proxy[1], proxy[2], addr)
        activate = x.make_iq_set(ito=proxy[0])
        activate.append(el('query', NS_BS, [el('activate', NS_BS, text=to)], sid=sid))
        try:
            await activate.send(timeout=10)
        except BaseException:
            writer.close()
            raise
        return reader, writer, 's5b-proxy'
    raise ValueError(f'streamhost-used names an unknown streamhost {used}')


async def s5b_stream(reader, writer, path, progress):
    try:
        with open(path, 'rb') as fh:
            while chunk := fh.read(CHUNK):
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), IDLE_S)
                progress.add(len(chunk))
        writer.write_eof()  # half-close: proxy65 may hold the tail back until a side closes (DESIGN.md)
        try:
            await asyncio.wait_for(reader.read(), 10)  # the target closes once it has everything
        except asyncio.TimeoutError:
            pass
    finally:
        writer.close()


async def ibb_stream(x, args, to, sid, path, progress):
    messages = args.ibb_stanza == 'message'
    stream = await x['xep_0047'].open_stream(to, sid=sid, block_size=args.block_size, use_messages=messages, timeout=10)
    if args.ibb_first_seq:  # test-only: start below 65535 to reach the seq wrap in a few blocks
        stream.send_seq = args.ibb_first_seq - 1
    # Messages have no acks: a server ping every ~256 KiB (64 to 4096 blocks) bounds what is in flight.
    ping_every = min(4096, max(64, 262144 // args.block_size))
    with open(path, 'rb') as fh:
        blocks = 0
        while chunk := fh.read(args.block_size):
            await stream.send(chunk, timeout=IDLE_S)  # iq: waits for each ack (stop-and-wait); seq wraps at 65536
            progress.add(len(chunk))
            blocks += 1
            if messages and blocks % ping_every == 0:
                ping = x.make_iq_get(ito=x.boundjid.domain)
                ping.append(el('ping', 'urn:xmpp:ping'))
                await ping.send(timeout=IDLE_S)
    await stream.close(timeout=10)


async def send_file(x, args):
    path, to = args.file, args.to
    size, name = os.path.getsize(path), os.path.basename(path)
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    with open(path, 'rb') as fh:
        while chunk := fh.read(1 << 20):
            md5.update(chunk)
            sha256.update(chunk)
    sid = 'slx' + uuid.uuid4().hex
    listener = await s5.Listener().start() if args.transport in ('auto', 's5b-direct') and not args.dead_streamhost else None
    proxy = None
    if args.transport in ('auto', 's5b-proxy') and not args.dead_streamhost:
        try:
            proxy = await find_proxy(x, args.proxy)
        except (IqError, IqTimeout) as e:
            emit('attempt', sid=sid, transport='s5b-proxy', error=f'proxy discovery: {describe(e)}')
        if proxy is None and args.transport == 's5b-proxy':
            emit('failed', sid=sid, name=name, reason='no SOCKS5 proxy found')
            return 'failed'
    methods = [el('option', NS_X, [el('value', NS_X, text=m)]) for m in (NS_BS, NS_IBB)]
    form = el('x', NS_X, [el('field', NS_X, methods, var='stream-method', type='list-single')], type='form')
    file = el('file', NS_FT, [el('desc', NS_FT, text='slixmpp interop peer')], name=name, size=size, hash=md5.hexdigest())
    offer = x.make_iq_set(ito=to)
    offer.append(el('si', NS_SI, [file, el('feature', NS_FNEG, [form])], id=sid, profile=NS_FT, mime_type='application/octet-stream'))
    emit('offer', sid=sid, to=to, name=name, size=size)
    try:
        answer = await offer.send(timeout=args.timeout)
    except IqError as e:
        declined = e.iq['error']['condition'] in ('forbidden', 'not-acceptable')
        emit('failed', sid=sid, name=name, reason=('declined: ' if declined else 'offer refused: ') + describe(e))
        return 'declined' if declined else 'failed'
    value = answer.xml.find(f'{{{NS_SI}}}si/{{{NS_FNEG}}}feature/{{{NS_X}}}x/{{{NS_X}}}field/{{{NS_X}}}value')
    method = value.text if value is not None else None
    emit('accepted', sid=sid, method=method)
    progress, transport = Progress(sid, size), None
    try:
        if method == NS_BS and args.transport != 'ibb':
            try:
                reader, writer, transport = await s5b_connect(x, to, sid, listener, proxy, args.dead_streamhost)
            except Exception as e:  # noqa: BLE001 - Spark-style: any S5B failure falls back to IBB
                emit('attempt', sid=sid, transport='s5b', error=describe(e))
                if args.transport != 'auto':
                    emit('failed', sid=sid, name=name, reason=f's5b: {describe(e)}')
                    return 'failed'
            if transport:
                await s5b_stream(reader, writer, path, progress)
        if transport is None:
            transport = 'ibb'
            await ibb_stream(x, args, to, sid, path, progress)
    except Exception as e:  # noqa: BLE001
        emit('failed', sid=sid, name=name, reason=f'{transport}: {describe(e)}')
        return 'failed'
    finally:
        if listener:
            listener.close()
    emit('done', sid=sid, name=name, size=size, sha256=sha256.hexdigest(), transport=transport, path=os.path.abspath(path))
    return 'done'


async def run(args):
    x = Peer(args)
    rx = Receiver(x, args) if args.command == 'receive' else None
    return await run_session(x, args, rx, lambda: send_file(x, args))


def parse_args(argv):
    p, sub = base_parser(__doc__)
    r = sub.add_parser('receive')
    r.add_argument('--dir', required=True)
    r.add_argument('--count', type=int, default=1)
    r.add_argument('--accept', choices=['all', 'none'], default='all')
    r.add_argument('--prefer', choices=['s5b', 'ibb'], default='s5b')
    r.add_argument('--s5b-fail', action='store_true', help='answer every streamhost list with item-not-found')
    r.add_argument('--ibb-first-seq', type=int, default=0, help='test only: expect the first IBB block at this seq')
    s = sub.add_parser('send')
    s.add_argument('--to', required=True, help='full JID of the receiver')
    s.add_argument('file')
    s.add_argument('--transport', choices=['auto', 's5b-direct', 's5b-proxy', 'ibb'], default='auto')
    s.add_argument('--ibb-stanza', choices=['iq', 'message'], default='iq')
    s.add_argument('--block-size', type=int, default=4096)
    s.add_argument('--proxy', help='JID of the SOCKS5 proxy (default: discovered on the server)')
    s.add_argument('--dead-streamhost', action='store_true',
                   help='offer only a closed loopback port as streamhost (then fall back to IBB, as Spark does)')
    s.add_argument('--ibb-first-seq', type=int, default=0,
                   help='test only: send the first IBB block with this seq (XEP-0047 says 0) to reach the wrap quickly')
    return p.parse_args(argv)


def main():
    main_bounded(parse_args, run)


if __name__ == '__main__':
    main()
