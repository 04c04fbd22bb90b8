"""Initiator side of the Jingle interop peer: a XEP-0234 file offer (senders='initiator'), S5B or IBB, the data,
the checksum session-info, and waiting for the responder's session-terminate. Written from the XEP texts."""
import asyncio
import mimetypes
import os
import time

from slixmpp.exceptions import IqError, IqTimeout

import jingle_ibb as jibb
import jingle_s5b as js5b
from jingle_common import NS_FT, NS_HASH, NS_J, NS_S5B, Progress, Session, StepTimeout, b64, describe, el, emit, hash_file, q, rid
from jingle_transfer import Transfer, kind_of, transport_of


def file_element(path, size, hash_el, media_type):
    mtime = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(os.path.getmtime(path)))
    return el('file', NS_FT, [el('media-type', NS_FT, text=media_type), el('name', NS_FT, text=os.path.basename(path)),
                              el('date', NS_FT, text=mtime), el('size', NS_FT, text=str(size)), el('range', NS_FT), hash_el])


def corrupt(digest):
    return bytes([digest[0] ^ 0xff]) + digest[1:]


async def send_file(x, app, args):
    path, me, to = args.file, x.boundjid.full, args.to
    size, name = os.path.getsize(path), os.path.basename(path)
    sha = hash_file(path, 'sha-256')
    announced = corrupt(sha) if args.corrupt_hash else sha
    media_type = args.media_type or mimetypes.guess_type(name)[0] or 'application/octet-stream'
    s = Session(x, 'initiator', 'jp' + rid(16), me, to)
    app.sessions[(to, s.sid)] = s
    tr = Transfer(app, s, args, sending=True)
    result = {'sid': s.sid, 'name': name, 'size': size, 'sha256': sha.hex(), 'to': to}
    progress = None

    def finish(outcome, reason=None):
        by = tr.ended_by or (None, None, None)
        emit({'done': 'done', 'declined': 'declined'}.get(outcome, 'failed'), **result, bytes=progress.bytes if progress else 0,
             transport=tr.transport, ended_by=by[0], reason=by[1], text=reason or by[2])
        return outcome

    hash_el = el('hash-used', NS_HASH, algo='sha-256') if args.hash_after else el('hash', NS_HASH, text=b64(announced), algo='sha-256')
    if args.transport == 's5b':
        tr.s5b = js5b.S5BTransport(s, rid(12))
        await tr.s5b.prepare(args)
        offer_tr = tr.s5b.element()
    else:
        ibb_offer = (rid(12), args.block_size or jibb.DEFAULT_BLOCK, args.ibb_stanza)
        offer_tr = jibb.transport_el(*ibb_offer)
    desc = el('description', NS_FT, [file_element(path, size, hash_el, media_type)])
    emit('offer', sid=s.sid, to=to, name=name, size=size, media_type=media_type, transport=args.transport,
         hash=None if args.hash_after else {'algo': 'sha-256', 'value': b64(announced)}, hash_used='sha-256' if args.hash_after else None,
         candidates=[c.describe() for c in tr.s5b.local] if tr.s5b else [])
    try:
        await s.send('session-initiate', [s.content_el([desc, offer_tr], senders='initiator')], info=args.transport, initiator=me)
    except (IqError, IqTimeout) as e:
        s.ended = True
        return finish('failed', f'session-initiate refused: {describe(e)}')

    # PENDING: wait for session-accept (or a decline / any session-terminate)
    offset, length = 0, size
    while True:
        try:
            _, action, jingle = await s.wait(None, args.accept_timeout, 'session-accept')
        except StepTimeout as e:
            await tr.terminate('timeout', describe(e))
            return finish('timeout', describe(e))
        if action == 'session-terminate':
            return finish(tr.peer_terminated(jingle))
        if action == 'transport-replace':
            res = await tr.accept_replace(jingle)
            if res[0] == 'ended':
                return finish(res[1], res[2])
            continue
        if action == 'transport-info' and tr.s5b:
            tr.s5b.handle_info(jingle)
            continue
        if action != 'session-accept':
            continue
        content = jingle.find(q(NS_J, 'content'))
        transport = transport_of(content)
        rng = content.find(q(NS_FT, 'description', 'file', 'range')) if content is not None else None
        if rng is not None:
            offset = min(int(rng.get('offset', '0') or 0), size)
            length = min(int(rng.get('length')), size - offset) if rng.get('length') else size - offset
        accepted_kind = kind_of(transport)
        emit('accepted', sid=s.sid, transport=accepted_kind, range={'offset': offset, 'length': length} if rng is not None and (offset or length != size) else None,
             candidates=len(transport.findall(f'{{{NS_S5B}}}candidate')) if transport is not None else 0)
        if tr.ibb:
            pass
        elif accepted_kind != args.transport:
            await tr.terminate('incompatible-parameters', f'session-accept has transport {accepted_kind}, offered {args.transport}')
            return finish('failed')
        elif tr.s5b:
            tr.s5b.take_remote(transport)
        else:
            theirs = jibb.parse(transport)[1]
            tr.use_ibb(ibb_offer[0], min(ibb_offer[1], theirs), ibb_offer[2])
        break

    est = await tr.establish()
    if est[0] == 'ended':
        return finish(est[1], est[2])
    progress = Progress(s.sid, length)
    if est[0] == 's5b':
        task = asyncio.ensure_future(js5b.send_stream(est[1], est[2], path, offset, length, progress))
    else:
        sid, block, stanza = tr.ibb
        task = asyncio.ensure_future(jibb.send(x, to, sid, block, stanza, path, offset, length, progress, args.ibb_window))
    while True:
        try:
            kind, action, jingle = await s.wait(task, None, 'the data to be sent')
        except StepTimeout:
            continue
        if kind == 'task':
            break
        if action == 'session-terminate':
            outcome = tr.peer_terminated(jingle)
            if outcome == 'done':  # the receiver has it all: let our side of the stream finish
                await asyncio.wait([task], timeout=10)
                if task.done() and not task.cancelled() and task.exception() is None:
                    return finish('done')
            task.cancel()
            return finish('failed' if outcome == 'done' else outcome, f'terminated while sending ({progress.bytes} of {length} bytes)')
        if action == 'session-info':
            tr.take_session_info(jingle)
    if task.exception() is not None:
        await tr.terminate('failed-transport', f'{tr.transport}: {describe(task.exception())}')
        return finish('failed', f'{tr.transport}: {describe(task.exception())}')

    ranged = offset != 0 or length != size
    if (args.hash_after or ranged) and not s.ended:
        digest = hash_file(path, 'sha-256', offset, length) if ranged else sha
        digest = corrupt(digest) if args.corrupt_hash else digest
        h = el('hash', NS_HASH, text=b64(digest), algo='sha-256')
        file = el('file', NS_FT, [el('range', NS_FT, [h], offset=offset, length=length)] if ranged else [h])
        emit('checksum', sid=s.sid, dir='out', algo='sha-256', value=b64(digest), range=[offset, length] if ranged else None)
        try:
            await s.send('session-info', [el('checksum', NS_FT, [file], creator='initiator', name='file')], info='checksum')
        except (IqError, IqTimeout) as e:
            emit('warning', sid=s.sid, message=f'checksum not acknowledged: {describe(e)}')

    # XEP-0234 §'Ending the Session': preferably the receiver (the last to finish receiving) terminates.
    while tr.ended_by is None:  # the dispatcher marks the session ended before its terminate is taken here
        try:
            _, action, jingle = await s.wait(None, args.terminate_wait, 'session-terminate from the responder')
        except StepTimeout:
            emit('warning', sid=s.sid, message=f'the responder did not terminate within {args.terminate_wait:g} s; terminating')
            await tr.terminate('success')
            return finish('done')
        if action == 'session-terminate':
            return finish(tr.peer_terminated(jingle))
        if action == 'session-info':
            tr.take_session_info(jingle)
    return finish('done')
