"""Interop test peer: XEP-0184 delivery receipts and XEP-0085 chat states, with slixmpp 1.8.3's own plugins.

Run it with Debian's /usr/bin/python3 (python3-slixmpp). xep_0184 runs as shipped (auto_ack answers every
receipt request, auto_request asks for one on what we send); xep_0085 reads and writes the states.
  chat --reply TEXT   waits for one chat message with a body; then sends <composing/>, waits a moment and
                      answers TEXT (with <active/> and a receipt request) to the sender's bare JID; ends
                      once the receipt for that answer came back (from the sender's bare JID).
stdout: one JSON object per line: ready {jid} · message {from,id,body,state,requested} · chatstate {from,state}
· sent {id,to} · receipt {from,id} · failed {reason}; logs on stderr.
Exit codes: 0 done, 1 failed, 3 cannot connect/log in, 4 timeout.
"""
import asyncio
import sys
import uuid

from slixmpp import JID

sys.dont_write_bytecode = True  # no __pycache__ next to the peer in the work tree
from peer_util import base_parser, emit, main_bounded, make_online_peer_class, run_session  # noqa: E402

PAUSE_S = 0.5  # between <composing/> and the answer, so the other side sees the typing first


class Peer(make_online_peer_class()):
    def __init__(self, args):
        super().__init__(args, [('xep_0030', None), ('xep_0085', None), ('xep_0184', {'auto_ack': True, 'auto_request': True})])
        self.first = asyncio.get_running_loop().create_future()
        self.receipts = {}
        self.add_event_handler('message', self.on_message)
        self.add_event_handler('receipt_received', self.on_receipt)
        for state in ('active', 'composing', 'paused', 'inactive', 'gone'):
            self.add_event_handler(f'chatstate_{state}', lambda msg, state=state: emit('chatstate', **{'from': str(msg['from']), 'state': state}))

    def on_message(self, msg):
        if msg['type'] not in ('chat', 'normal') or not msg['body']:
            return
        emit('message', **{'from': str(msg['from']), 'id': msg['id'], 'body': msg['body'], 'state': msg['chat_state'] or None,
                            'requested': bool(msg['request_receipt'])})
        if not self.first.done():
            self.first.set_result(msg)

    def on_receipt(self, msg):
        emit('receipt', **{'from': str(msg['from']), 'id': msg['receipt']})
        waiting = self.receipts.get(msg['receipt'])
        if waiting and not waiting.done() and JID(msg['from']).bare == waiting.peer:
            waiting.set_result(True)


async def chat(x, args):
    first = await x.first
    peer = JID(first['from']).bare
    typing = x.make_message(mto=peer, mtype='chat')
    typing['chat_state'] = 'composing'
    typing.send()
    await asyncio.sleep(PAUSE_S)
    answer = x.make_message(mto=peer, mbody=args.reply, mtype='chat')
    answer['id'] = str(uuid.uuid4())
    answer['chat_state'] = 'active'
    waiting = asyncio.get_running_loop().create_future()
    waiting.peer = peer
    x.receipts[answer['id']] = waiting
    answer.send()
    emit('sent', id=answer['id'], to=peer)
    await waiting
    return 'done'


def parse_args(argv):
    p, sub = base_parser(__doc__)
    c = sub.add_parser('chat')
    c.add_argument('--reply', required=True)
    return p.parse_args(argv)


async def run(args):
    x = Peer(args)
    return await run_session(x, args, None, lambda: chat(x, args))


if __name__ == '__main__':
    main_bounded(parse_args, run)
