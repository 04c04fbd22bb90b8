"""The transport phase of one Jingle file transfer, shared by both roles of the interop peer (jingle_peer.py):
S5B negotiation (jingle_s5b.py), transport-replace to IBB in either direction (XEP-0260 §3, XEP-0166 tie-break),
transport-accept / transport-reject, and the checksum session-info (XEP-0234 §8.2). Written from the XEP texts."""
from slixmpp.exceptions import IqError, IqTimeout

import jingle_ibb as jibb
import jingle_s5b as js5b
from jingle_common import (IQ_S, NS_FT, NS_J, NS_JE, NS_JIBB, NS_S5B, StepTimeout, describe, emit, local, parse_hashes, q,
                           reason_of, rid)

SHORT = {NS_S5B: 's5b', NS_JIBB: 'ibb'}


def kind_of(transport):
    """'s5b' | 'ibb' | None for a Jingle <transport/> element (or None)."""
    return SHORT.get(transport.tag.split('}')[0][1:]) if transport is not None else None


def transport_of(parent):
    """The <transport/> child (any namespace) of a Jingle <content/>, or None."""
    return next((c for c in parent if local(c.tag) == 'transport'), None) if parent is not None else None


class Transfer:
    """One file in one Jingle session, from this peer's side: the transport phase both roles share."""

    def __init__(self, app, session, args, sending):
        self.app, self.s, self.args, self.sending = app, session, args, sending
        self.s5b = None
        self.ibb = None            # (ibb sid, block-size, stanza) once IBB is the transport
        self.sink = None           # receiver: the file being written
        self.checksums = []        # receiver: (algo, base64 value, (offset, length) | None)
        self.ended_by = None       # (role, condition, text)
        self.transport = None
        self.ibb_rx = None         # receiver: the jingle_ibb.IbbReceiver of the IBB session in use

    def use_ibb(self, sid, block, stanza):
        self.ibb = (sid, block, stanza)
        if not self.sending:
            r = self.app.ibb.receivers.get((self.s.peer, sid)) or self.app.ibb.expect(self.s, sid, block, self.sink)
            r.block = block
            self.ibb_rx = r
        if self.s5b:
            self.s5b.close()
        self.transport = 'ibb'
        emit('transport', sid=self.s.sid, transport='ibb', ibb_sid=sid, block_size=block, stanza=stanza)

    def peer_terminated(self, jingle):
        cond, text = reason_of(jingle)
        self.ended_by = (self.s.other_role, cond, text)
        emit('terminate', sid=self.s.sid, by=self.s.other_role, reason=cond, text=text)
        return 'done' if cond == 'success' else 'declined' if cond == 'decline' else 'failed'

    def drain(self):
        """Takes the checksums and a session-terminate that arrived but were not waited for."""
        for action, jingle in self.s.queued():
            if action == 'session-info':
                self.take_session_info(jingle)
            elif action == 'session-terminate' and self.ended_by is None:
                self.peer_terminated(jingle)

    async def terminate(self, condition, text=None, extra=None):
        if not self.s.ended:
            self.ended_by = (self.s.role, condition, text)
        await self.s.terminate(condition, text, extra)

    async def fail(self, condition, text):
        await self.terminate(condition, text)
        return 'ended', 'failed', text

    async def next_event(self, timeout, what):
        """The next action that matters for the transport phase; transport-info is handed to S5B."""
        while True:
            try:
                _, action, jingle = await self.s.wait(None, timeout, what)
            except StepTimeout as e:
                return await self.fail('failed-transport', describe(e))
            if action == 'transport-info' and self.s5b:
                self.s5b.handle_info(jingle)
            elif action == 'session-info':
                self.take_session_info(jingle)
            else:
                return 'event', action, jingle

    def take_session_info(self, jingle):
        checksum = jingle.find(q(NS_FT, 'checksum'))
        if jingle.find(q(NS_FT, 'received')) is not None:
            emit('received', sid=self.s.sid)
        file = checksum.find(q(NS_FT, 'file')) if checksum is not None else None
        if file is None:
            return
        found = [(a, v, None) for a, v in parse_hashes(file) if v]
        rng = file.find(q(NS_FT, 'range'))
        if rng is not None:
            span = (int(rng.get('offset', '0')), int(rng.get('length')) if rng.get('length') else None)
            found += [(a, v, span) for a, v in parse_hashes(rng) if v]
        for algo, value, span in found:
            emit('checksum', sid=self.s.sid, dir='in', algo=algo, value=value, range=span)
        self.checksums += found

    async def establish(self):
        """Until a transport carries data: ('s5b', reader, writer, Candidate) | ('ibb',) | ('ended', outcome, why)."""
        if self.ibb:
            return ('ibb',)
        if not self.sending and self.args.transport == 'ibb':  # a responder that prefers IBB replaces S5B at once
            res = await self.replace()
        else:
            res = await self.s5b.negotiate()
        while True:
            kind = res[0]
            if kind == 's5b':
                self.transport = js5b.label(res[3])
                emit('transport', sid=self.s.sid, transport=self.transport, cid=res[3].cid, host=res[3].host, port=res[3].port)
                return res
            if kind in ('ibb', 'ended'):
                return res
            if kind == 'event':
                action, jingle = res[1], res[2]
                if action == 'session-terminate':
                    return 'ended', self.peer_terminated(jingle), 'terminated by the peer'
                res = await self.accept_replace(jingle) if action == 'transport-replace' else await self.next_event(IQ_S * 3, 'the transport')
            elif kind == 'failed':
                emit('s5b-failed', sid=self.s.sid, reason=res[1])
                if self.s.role == 'responder':  # XEP-0260 §3: the initiator replaces the transport or terminates
                    res = await self.next_event(IQ_S * 2, 'transport-replace from the initiator')
                elif self.args.no_fallback:
                    res = await self.fail('connectivity-error', res[1])
                else:
                    res = await self.replace()
            elif kind == 'wait':
                res = await self.next_event(IQ_S * 2, 'the peer to settle the transport')

    async def replace(self):
        """Our own transport-replace to IBB (XEP-0260 §3); ('ibb',) once the peer sent transport-accept."""
        sid, block, stanza = rid(12), self.args.block_size or jibb.DEFAULT_BLOCK, self.args.ibb_stanza
        if not self.sending:
            self.app.ibb.expect(self.s, sid, block, self.sink)
        self.s.replace_pending = True
        emit('transport-replace', sid=self.s.sid, by=self.s.role, to='ibb', ibb_sid=sid, block_size=block, result='sent')
        try:
            await self.s.send('transport-replace', [self.s.content_el([jibb.transport_el(sid, block, stanza)])], info='ibb')
        except (IqError, IqTimeout) as e:
            self.s.replace_pending = False
            self.app.ibb.forget(self.s, sid)
            if isinstance(e, IqError) and e.iq.xml.find(f'*/{{{NS_JE}}}tie-break') is not None:
                emit('transport-replace', sid=self.s.sid, by=self.s.role, to='ibb', result='tie-break lost')
                return ('wait',)
            return await self.fail('failed-transport', f'transport-replace refused: {describe(e)}')
        while True:
            res = await self.next_event(IQ_S * 3, 'transport-accept')
            if res[0] != 'event':
                return res
            action, jingle = res[1], res[2]
            if action == 'transport-accept':
                self.s.replace_pending = False
                transport = jingle.find(q(NS_J, 'content') + f'/{{{NS_JIBB}}}transport')
                theirs = jibb.parse(transport)[1] if transport is not None else block
                emit('transport-replace', sid=self.s.sid, by=self.s.role, to='ibb', ibb_sid=sid, block_size=min(block, theirs), result='accepted')
                self.use_ibb(sid, min(block, theirs), stanza)
                return ('ibb',)
            if action == 'transport-reject':
                self.s.replace_pending = False
                emit('transport-replace', sid=self.s.sid, by=self.s.role, to='ibb', ibb_sid=sid, result='rejected')
                return await self.fail('failed-transport', 'the peer rejected IBB') if self.s.role == 'initiator' else ('wait',)
            if action in ('transport-replace', 'session-terminate'):
                self.s.replace_pending = False
                self.app.ibb.forget(self.s, sid)
                return res

    async def accept_replace(self, jingle):
        """The peer's transport-replace: transport-accept for IBB (unless receive --transport s5b), else transport-reject."""
        content = jingle.find(q(NS_J, 'content'))
        transport = transport_of(content)
        kind = kind_of(transport) or ('none' if transport is None else transport.tag)
        if kind != 'ibb' or (not self.sending and self.args.transport == 's5b'):
            emit('transport-replace', sid=self.s.sid, by=self.s.other_role, to=kind, result='rejected')
            try:
                await self.s.send('transport-reject', [self.s.content_el([transport] if transport is not None else [])], info=kind)
            except (IqError, IqTimeout) as e:
                emit('warning', sid=self.s.sid, message=f'transport-reject not acknowledged: {describe(e)}')
            return await self.fail('failed-transport', f'rejected a transport-replace to {kind}') if self.s.role == 'initiator' else ('wait',)
        sid, theirs, stanza = jibb.parse(transport)
        block = min(theirs, self.args.block_size) if self.args.block_size else theirs
        self.s.replace_pending = False  # the initiator's replace wins a tie (XEP-0166 §7.2.16)
        self.use_ibb(sid, block, stanza if stanza in ('iq', 'message') else 'iq')
        emit('transport-replace', sid=self.s.sid, by=self.s.other_role, to='ibb', ibb_sid=sid, block_size=block, result='accepted')
        try:
            await self.s.send('transport-accept', [self.s.content_el([jibb.transport_el(sid, block, stanza)])], info='ibb')
        except (IqError, IqTimeout) as e:
            return await self.fail('failed-transport', f'transport-accept refused: {describe(e)}')
        return ('ibb',)
