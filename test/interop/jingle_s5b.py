"""XEP-0260 Jingle SOCKS5 Bytestreams transport for the Jingle interop peer, written from the XEP text.

Candidates (§2.1-2.2: priority = 2^16 * type preference + local preference), connecting to the peer's
candidates in priority order (§2.3, with the "stop when the peer used a higher-priority candidate" rule),
candidate-used / candidate-error, nomination (§2.4 rules 1-4), proxy activation with <activated/> and
<proxy-error/>. DST.ADDR is SHA1(sid + candidate owner's full JID + the other party's full JID), the
transport's 'sid' (not the Jingle session's). SOCKS5 itself is peer_socks5.py.
"""
import asyncio
import socket

import peer_socks5 as s5
from jingle_common import (CHUNK, IDLE_S, IQ_S, NS_BS, NS_J, NS_S5B, StepTimeout, describe, el, emit, q, local, rid)
from slixmpp.exceptions import IqError, IqTimeout

TYPE_PREF = {'direct': 126, 'assisted': 120, 'tunnel': 110, 'proxy': 10}
NEGOTIATE_S = 20.0   # longest wait for both candidate reports
ACTIVATE_S = 10.0    # longest wait for the peer's <activated/> on its proxy candidate


def priority(ctype, local_pref):
    return (TYPE_PREF[ctype] << 16) + local_pref


class Candidate:
    def __init__(self, cid, host, port, jid, prio, ctype):
        self.cid, self.host, self.port, self.jid, self.priority, self.type = cid, host, int(port), jid, int(prio), ctype

    def element(self):
        return el('candidate', NS_S5B, cid=self.cid, host=self.host, jid=self.jid, port=self.port, priority=self.priority, type=self.type)

    def describe(self):
        return {'cid': self.cid, 'host': self.host, 'port': self.port, 'jid': self.jid, 'priority': self.priority, 'type': self.type}

    @staticmethod
    def parse(node):
        return Candidate(node.get('cid'), node.get('host'), node.get('port', '1080'), node.get('jid'),
                         node.get('priority', '0'), node.get('type', 'direct'))


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


async def find_proxy(x, jid):
    """(jid, host, port) of the given SOCKS5 proxy, or of the first the server lists (XEP-0065 §4), or None."""
    candidates = [jid] if jid else []
    if not jid:
        items = await x['xep_0030'].get_items(x.boundjid.domain, timeout=IQ_S)
        candidates = [item[0] for item in items['disco_items']['items']]
    for candidate in candidates:
        try:
            if not jid:
                info = await x['xep_0030'].get_info(candidate, timeout=IQ_S)
                if not any(i[0] == 'proxy' and i[1] == 'bytestreams' for i in info['disco_info']['identities']):
                    continue
            iq = x.make_iq_get(ito=candidate)
            iq.append(el('query', NS_BS))
            host = (await iq.send(timeout=IQ_S)).xml.find(q(NS_BS, 'query', 'streamhost'))
            if host is not None:
                return host.get('jid') or candidate, host.get('host'), int(host.get('port'))
        except (IqError, IqTimeout):
            continue
    return None


class S5BTransport:
    """The S5B transport of one Jingle content, from one party's side."""

    def __init__(self, session, sid):
        self.s, self.sid = session, sid
        self.local, self.remote = [], []
        self.remote_dstaddr = None
        self.listener, self.incoming = None, None
        self.local_report = self.remote_report = None  # ('used', Candidate) | ('error', why)
        self.conn_out = None
        self.activated = asyncio.Event()
        self.proxy_error = False

    def dst(self, owner, other):
        return s5.dst_addr(self.sid, owner, other)

    async def prepare(self, args):
        """Our own candidates: the SOCKS5 listener on 127.0.0.1 (unless no_candidates), an unreachable one
        with the highest priority (dead_candidate), the server's proxy65 (proxy)."""
        me, peer = self.s.me, self.s.peer
        if args.dead_candidate:
            self.local.append(Candidate(rid(8), '127.0.0.1', closed_port(), me, priority('direct', 65535), 'direct'))
        if not args.no_candidates:
            self.listener = await s5.Listener().start()
            self.incoming = self.listener.expect(self.dst(me, peer))
            self.local.append(Candidate(rid(8), '127.0.0.1', self.listener.port, me, priority('direct', 32768), 'direct'))
        if args.proxy is not None:
            found = await find_proxy(self.s.x, args.proxy or None)
            if found is None:
                emit('warning', sid=self.s.sid, message='no SOCKS5 proxy found; offering no proxy candidate')
            elif any((c.host, c.port) == (found[1], found[2]) for c in self.remote):  # §2.2: not one the initiator offered
                emit('warning', sid=self.s.sid, message='the initiator already offered this proxy; not offering it again')
            else:
                self.local.append(Candidate(rid(8), found[1], found[2], found[0], priority('proxy', 0), 'proxy'))

    def element(self):
        """Our <transport/> for session-initiate (with mode) or session-accept (without, §2.2 rule 3)."""
        initiator = self.s.role == 'initiator'
        has_proxy = any(c.type == 'proxy' for c in self.local)
        return el('transport', NS_S5B, [c.element() for c in self.local], sid=self.sid, mode='tcp' if initiator else None,
                  dstaddr=self.dst(self.s.me, self.s.peer) if has_proxy else None)

    def take_remote(self, transport):
        self.remote_dstaddr = transport.get('dstaddr')
        self.remote = [Candidate.parse(c) for c in transport.iterfind(f'{{{NS_S5B}}}candidate')]

    def close(self):
        if self.listener:
            self.listener.close()
        for conn in (self.conn_out, self.incoming.result() if self.incoming and self.incoming.done() else None):
            if conn:
                conn[1].close()

    async def info(self, child, summary):
        transport = el('transport', NS_S5B, [child], sid=self.sid)
        try:
            await self.s.send('transport-info', [self.s.content_el([transport])], info=summary)
        except (IqError, IqTimeout) as e:
            emit('warning', sid=self.s.sid, message=f'transport-info {summary} not acknowledged: {describe(e)}')

    def handle_info(self, jingle):
        """Takes the peer's candidate-used / candidate-error / activated / proxy-error from a transport-info."""
        transport = jingle.find(q(NS_J, 'content') + f'/{{{NS_S5B}}}transport')
        if transport is None:
            return emit('warning', sid=self.s.sid, message='transport-info without an S5B transport ignored')
        for child in transport:
            kind = local(child.tag)
            if kind == 'candidate-used':
                used = next((c for c in self.local if c.cid == child.get('cid')), None)
                self.remote_report = ('used', used) if used else ('error', f"candidate-used names unknown cid {child.get('cid')}")
            elif kind == 'candidate-error':
                self.remote_report = ('error', 'peer sent candidate-error')
            elif kind == 'activated':
                self.activated.set()
            elif kind == 'proxy-error':
                self.proxy_error = True
                self.activated.set()

    async def connect_remote(self):
        """Tries the peer's candidates by priority, highest first; (Candidate, reader, writer) or None."""
        for c in sorted(self.remote, key=lambda c: -c.priority):
            report = self.remote_report
            if report and report[0] == 'used' and report[1].priority > c.priority:
                emit('candidate', sid=self.s.sid, owner='peer', **c.describe(), result='skipped: the peer used a higher-priority candidate')
                break
            addr = self.remote_dstaddr if c.type == 'proxy' and self.remote_dstaddr else self.dst(self.s.peer, self.s.me)
            try:
                reader, writer = await s5.connect(c.host, c.port, addr)
            except Exception as e:  # noqa: BLE001 - any failure moves on to the next candidate
                emit('candidate', sid=self.s.sid, owner='peer', **c.describe(), result=f'failed: {describe(e)}')
                continue
            emit('candidate', sid=self.s.sid, owner='peer', **c.describe(), result='connected')
            return c, reader, writer
        return None

    async def negotiate(self):
        """§2.3-2.4. ('s5b', reader, writer, Candidate) | ('failed', why) | ('event', action, jingle) when the peer
        sent an action that ends S5B negotiation (transport-replace, session-terminate)."""
        loop = asyncio.get_running_loop()
        task = asyncio.ensure_future(self.connect_remote())
        deadline = loop.time() + NEGOTIATE_S
        try:
            while self.local_report is None or self.remote_report is None:
                left = deadline - loop.time()
                if left <= 0:
                    if self.local_report is None:
                        task.cancel()
                        self.local_report = ('error', 'timed out connecting')
                        await self.info(el('candidate-error', NS_S5B), 'candidate-error')
                    if self.remote_report is None:
                        self.remote_report = ('error', f'no candidate-used/candidate-error from the peer within {NEGOTIATE_S:g} s')
                    break
                try:
                    kind, a, b = await self.s.wait(task if self.local_report is None else None, left, 'candidate reports')
                except StepTimeout:
                    continue
                if kind == 'task':
                    result = None if a.cancelled() or a.exception() else a.result()
                    if result:
                        cand, reader, writer = result
                        self.conn_out = (reader, writer)
                        self.local_report = ('used', cand)
                        await self.info(el('candidate-used', NS_S5B, cid=cand.cid), f'candidate-used:{cand.cid}')
                    else:
                        self.local_report = ('error', 'could not connect to any candidate of the peer')
                        await self.info(el('candidate-error', NS_S5B), 'candidate-error')
                elif a == 'transport-info':
                    self.handle_info(b)
                elif a in ('transport-replace', 'session-terminate'):
                    return 'event', a, b
                else:
                    emit('warning', sid=self.s.sid, message=f'{a} ignored during S5B negotiation')
        finally:
            if not task.done():
                task.cancel()
        return await self.nominate()

    async def nominate(self):
        mine, theirs = self.local_report, self.remote_report
        emit('candidate-reports', sid=self.s.sid, local=mine[0], remote=theirs[0],
             local_cid=mine[1].cid if mine[0] == 'used' else None, remote_cid=theirs[1].cid if theirs[0] == 'used' else None)
        if mine[0] == 'error' and theirs[0] == 'error':  # rule 1
            return 'failed', f'both sides sent candidate-error ({mine[1]}; {theirs[1]})'
        if mine[0] == 'used' and theirs[0] == 'error':
            cand, owner, rule = mine[1], 'peer', 'only-used'
        elif theirs[0] == 'used' and mine[0] == 'error':
            cand, owner, rule = theirs[1], 'self', 'only-used'
        elif mine[1].priority != theirs[1].priority:  # rule 3
            cand, owner = (mine[1], 'peer') if mine[1].priority > theirs[1].priority else (theirs[1], 'self')
            rule = 'higher-priority'
        else:  # rule 4: the candidate the initiator chose (the one it reported with candidate-used)
            cand, owner = (mine[1], 'peer') if self.s.role == 'initiator' else (theirs[1], 'self')
            rule = 'initiator-choice'
        emit('nominated', sid=self.s.sid, cid=cand.cid, owner=owner, type=cand.type, rule=rule, host=cand.host, port=cand.port)
        try:
            if owner == 'peer':
                reader, writer = self.conn_out
                self.conn_out = None
                if cand.type == 'proxy':  # the peer activates its proxy, then says so (§2.4)
                    outcome = await self.wait_activated()
                    if outcome:
                        writer.close()
                        return outcome
            elif cand.type == 'proxy':
                reader, writer = await self.activate(cand)
            else:
                reader, writer = await asyncio.wait_for(self.incoming, s5.HANDSHAKE_S)
        except Exception as e:  # noqa: BLE001
            return 'failed', f'nominated candidate {cand.cid}: {describe(e)}'
        if owner == 'peer' and self.incoming and self.incoming.done():
            self.incoming.result()[1].close()
        if self.conn_out:
            self.conn_out[1].close()
        self.conn_out, self.incoming = None, None
        return 's5b', reader, writer, cand

    async def wait_activated(self):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ACTIVATE_S
        while not self.activated.is_set():
            left = deadline - loop.time()
            if left <= 0:
                return 'failed', f'no <activated/> from the peer within {ACTIVATE_S:g} s'
            kind, a, b = await self.s.wait(None, left, '<activated/>')
            if a == 'transport-info':
                self.handle_info(b)
            elif a in ('transport-replace', 'session-terminate'):
                return 'event', a, b
        return ('failed', 'the peer sent proxy-error') if self.proxy_error else None

    async def activate(self, cand):
        """Our proxy candidate was nominated: connect to it, activate the bytestream, tell the peer (§2.4)."""
        try:
            reader, writer = await s5.connect(cand.host, cand.port, self.dst(self.s.me, self.s.peer))
            iq = self.s.x.make_iq_set(ito=cand.jid)
            iq.append(el('query', NS_BS, [el('activate', NS_BS, text=self.s.peer)], sid=self.sid))
            await iq.send(timeout=IQ_S)
        except BaseException:
            await self.info(el('proxy-error', NS_S5B), 'proxy-error')
            raise
        await self.info(el('activated', NS_S5B, cid=cand.cid), f'activated:{cand.cid}')
        return reader, writer


def label(cand):
    return 's5b-proxy' if cand.type == 'proxy' else 's5b-direct'


async def send_stream(reader, writer, path, offset, length, progress):
    """Writes the file range, half-closes (proxy65 may hold the tail until a side closes), waits for the close."""
    try:
        with open(path, 'rb') as fh:
            fh.seek(offset)
            left = length
            while left > 0:
                chunk = fh.read(min(CHUNK, left))
                if not chunk:
                    raise ValueError('the file is shorter than announced')
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), IDLE_S)
                left -= len(chunk)
                progress.add(len(chunk))
        writer.write_eof()
        try:
            await asyncio.wait_for(reader.read(), 10)  # the receiver closes once it has everything
        except asyncio.TimeoutError:
            pass
    finally:
        writer.close()


async def recv_stream(reader, writer, sink, transport):
    try:
        while not sink.complete.is_set():
            data = await asyncio.wait_for(reader.read(CHUNK), IDLE_S)
            if not data:
                sink.fail(f'{transport}: stream closed after {sink.bytes} of {sink.expected} bytes')
                break
            sink.write(data, transport)
    except Exception as e:  # noqa: BLE001
        sink.fail(f'{transport}: {describe(e)}')
    finally:
        writer.close()
