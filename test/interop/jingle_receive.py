"""Responder side of the Jingle interop peer: answers a XEP-0234 file offer (accept with its own S5B candidates, or
decline), receives over S5B or IBB, verifies the hash from the offer or a checksum session-info (whole file, or the
requested range), keeps or deletes the file, and ends the session. Written from the XEP texts."""
import asyncio
import base64
import binascii
import copy
import logging
import re

from slixmpp.exceptions import IqError, IqTimeout

import jingle_ibb as jibb
import jingle_s5b as js5b
from jingle_common import (HASHES, IDLE_S, NS_FT, NS_FTE, NS_J, NS_S5B, Session, Sink, StepTimeout, describe, el, emit,
                           hash_file, local, parse_hashes, q)
from jingle_transfer import Transfer, kind_of, transport_of

CHECKSUM_S = 10.0   # longest wait for a checksum session-info after the last byte


class Receiver:
    def __init__(self, x, app, args):
        self.x, self.app, self.args = x, app, args
        self.outcomes, self.tasks = [], set()
        self.all_ended = asyncio.Event()

    def start(self, peer, sid, jingle):
        s = Session(self.x, 'responder', sid, self.x.boundjid.full, peer)
        self.app.sessions[(peer, sid)] = s
        task = asyncio.ensure_future(self.run(s, jingle))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def run(self, s, jingle):
        try:
            outcome = await self.session(s, jingle)
        except Exception as e:  # noqa: BLE001
            logging.exception('session %s', s.sid)
            emit('failed', sid=s.sid, reason='peer-error', text=describe(e))
            outcome = 'failed'
        self.outcomes.append(outcome)
        if len(self.outcomes) >= self.args.count:
            self.all_ended.set()

    async def wait(self):
        await self.all_ended.wait()
        return next((o for o in ('failed', 'timeout', 'declined') if o in self.outcomes), 'done')

    async def session(self, s, jingle):
        args = self.args
        tr = Transfer(self.app, s, args, sending=False)
        content = jingle.find(q(NS_J, 'content'))
        desc = content.find(q(NS_FT, 'description'))
        file = desc.find(q(NS_FT, 'file')) if desc is not None else None
        transport = transport_of(content)
        kind = kind_of(transport)
        s.content = (content.get('creator', 'initiator'), content.get('name', 'file'))
        if file is None:
            await tr.terminate('unsupported-applications')
            return emit_failed(s, 'not a XEP-0234 :5 file offer', 'unsupported-applications')
        text = {local(c.tag): (c.text or '').strip() for c in file if c.tag.startswith(f'{{{NS_FT}}}')}
        name, size = text.get('name', ''), int(text['size']) if text.get('size', '').isdigit() else None
        hashes = parse_hashes(file)
        offer = {'sid': s.sid, 'from': s.peer, 'name': name, 'size': size, 'media_type': text.get('media-type'), 'date': text.get('date'),
                 'hash': next(({'algo': a, 'value': v} for a, v in hashes if v), None), 'hash_used': next((a for a, v in hashes if not v), None),
                 'transport': kind, 'senders': content.get('senders'), 'range_supported': file.find(q(NS_FT, 'range')) is not None,
                 'candidates': len(transport.findall(f'{{{NS_S5B}}}candidate')) if transport is not None else 0}
        emit('offer', **offer)
        if content.get('senders') not in ('initiator', None):
            await tr.terminate('failed-application', 'only file offers (senders=initiator) are supported')
            return emit_failed(s, 'not a file offer', 'failed-application')
        if kind is None or (kind == 'ibb' and args.transport == 's5b'):
            await tr.terminate('unsupported-transports')
            return emit_failed(s, f'unsupported transport {transport.tag if transport is not None else None}', 'unsupported-transports')
        if size is None:
            await tr.terminate('failed-application', 'the offer has no <size/>')
            return emit_failed(s, 'no size', 'failed-application')
        if args.decline:
            await tr.terminate('decline')
            emit('declined', sid=s.sid, name=name)
            return 'declined'
        offset = min(args.range_offset, size)
        tr.sink = Sink(args.dir, name, s.sid, size - offset)
        if kind == 's5b':
            tr.s5b = js5b.S5BTransport(s, transport.get('sid'))
            tr.s5b.take_remote(transport)
            if args.transport != 'ibb':
                await tr.s5b.prepare(args)
            answer_tr = tr.s5b.element()
        else:
            sid, theirs, stanza = jibb.parse(transport)
            block = min(theirs, args.block_size) if args.block_size else theirs
            tr.use_ibb(sid, block, stanza)
            answer_tr = jibb.transport_el(sid, block, stanza)
        answer_file = copy.deepcopy(file)
        for old in answer_file.findall(q(NS_FT, 'range')):
            answer_file.remove(old)
        answer_file.append(el('range', NS_FT, offset=offset or None))
        try:
            await s.send('session-accept', [s.content_el([el('description', NS_FT, [answer_file]), answer_tr], senders=content.get('senders'))],
                         info=kind, responder=s.me)
        except (IqError, IqTimeout) as e:
            tr.sink.discard()
            return emit_failed(s, f'session-accept refused: {describe(e)}')
        emit('accepted', sid=s.sid, transport=kind, range={'offset': offset} if offset else None,
             candidates=[c.describe() for c in tr.s5b.local] if tr.s5b else [])
        outcome, why = await self.receive(tr)
        return await verify_and_end(self, tr, offer, outcome, why)

    async def receive(self, tr):
        s, sink = tr.s, tr.sink
        est = await tr.establish()
        if est[0] == 'ended':
            return est[1], est[2]
        if est[0] == 's5b':
            asyncio.ensure_future(js5b.recv_stream(est[1], est[2], sink, tr.transport))
        complete = asyncio.ensure_future(sink.complete.wait())
        last = sink.bytes
        while not sink.complete.is_set():
            try:
                kind, action, jingle = await s.wait(complete, IDLE_S, 'file data')
            except StepTimeout:
                if sink.bytes == last:
                    sink.fail(f'{tr.transport}: no data for {IDLE_S:g} s')
                last = sink.bytes
                continue
            if kind == 'task':
                break
            if action == 'session-info':
                tr.take_session_info(jingle)
            elif action == 'session-terminate':
                if tr.peer_terminated(jingle) != 'done':
                    sink.fail(f'terminated by the initiator after {sink.bytes} of {sink.expected} bytes')
            elif action == 'transport-replace':
                await tr.accept_replace(jingle)  # late fallback: the data now comes in-band
        complete.cancel()
        if not sink.error and tr.transport == 'ibb' and tr.ibb_rx:  # XEP-0261 §2.5: <close/>, then session-terminate
            try:
                await asyncio.wait_for(tr.ibb_rx.closed.wait(), 5)
            except asyncio.TimeoutError:
                emit('warning', sid=s.sid, message='no IBB <close/> within 5 s after the last byte')
        if sink.error:
            too_large = 'more data than' in sink.error
            if not s.ended:
                await tr.terminate('media-error' if too_large else 'failed-transport', sink.error,
                                   el('file-too-large', NS_FTE) if too_large else None)
            return 'failed', sink.error
        return 'received', None

    def applicable(self, tr, offer_hashes):
        """The hashes that can check the received bytes: range checksums for a ranged transfer, else whole-file ones."""
        offset = self.args.range_offset
        if offset:
            return [(a, v) for a, v, span in tr.checksums if span and span[0] == offset]
        return [(a, v) for a, v, span in tr.checksums if not span or (span[0] == 0 and span[1] in (None, tr.sink.expected))] + \
            [(a, v) for a, v in offer_hashes if v]


async def verify_and_end(rx, tr, offer, outcome, why):
    s, sink, args = tr.s, tr.sink, rx.args
    fields = {'sid': s.sid, 'name': offer['name'], 'size': offer['size'], 'from': s.peer, 'offset': args.range_offset or 0}
    if outcome != 'received':
        sink.discard()
        by = tr.ended_by or (None, None, None)
        emit('declined' if outcome == 'declined' else 'failed', **fields, bytes=sink.bytes, transport=tr.transport,
             sha256=sink.sha256.hexdigest(), hash='none', ended_by=by[0], reason=by[1], text=why or by[2])
        return outcome if outcome in ('declined', 'timeout') else 'failed'
    offer_hashes = [(offer['hash']['algo'], offer['hash']['value'])] if offer['hash'] else []
    tr.drain()
    usable = [h for h in rx.applicable(tr, offer_hashes) if h[0] in HASHES]
    if not usable and not s.ended:  # hash-used (or a range): the checksum comes in a session-info (XEP-0234 §8.2)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CHECKSUM_S
        while not usable and not s.ended and loop.time() < deadline:
            try:
                _, action, jingle = await s.wait(None, deadline - loop.time(), 'a checksum')
            except StepTimeout:
                break
            if action == 'session-info':
                tr.take_session_info(jingle)
            elif action == 'session-terminate':
                tr.peer_terminated(jingle)
            usable = [h for h in rx.applicable(tr, offer_hashes) if h[0] in HASHES]
    state, used = 'none', None
    if usable:
        algo, value = next((h for h in usable if h[0] == 'sha-256'), usable[0])
        sink.fh.flush()
        digest = sink.sha256.digest() if algo == 'sha-256' else hash_file(sink.part, algo)
        state, used = ('verified' if same_digest(digest, value) else 'mismatch'), algo
    emit('hash', sid=s.sid, state=state, algo=used, sha256=sink.sha256.hexdigest())
    if state == 'mismatch':
        await tr.terminate('media-error', f'{used} of the received file differs from the announced hash')
        sink.discard()
        path, event, code = None, 'failed', 'failed'
    else:
        await tr.terminate('success')
        path, event, code = sink.keep(), 'done', 'done'
    if tr.s5b:
        tr.s5b.close()
    tr.drain()
    by = tr.ended_by or (None, None, None)
    emit(event, **fields, bytes=sink.bytes, transport=tr.transport, sha256=sink.sha256.hexdigest(), hash=state, hash_algo=used,
         path=path, ended_by=by[0], reason=by[1], text=by[2])
    return code


def same_digest(digest, value):
    try:
        return base64.b64decode(re.sub(r'\s+', '', value), validate=True) == digest
    except (binascii.Error, ValueError):
        return False


def emit_failed(s, text, condition=None):
    emit('failed', sid=s.sid, ended_by=s.role if s.ended else None, reason=condition, text=text, hash='none')
    return 'failed'
