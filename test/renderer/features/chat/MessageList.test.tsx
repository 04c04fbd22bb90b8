import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import { MessageList } from '../../../../renderer/features/chat/MessageList';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

const PEER = 'bob@localhost';
const msg = (n: number): ChatMessage => ({ id: `m${n}`, peer: PEER as BareJid, direction: 'incoming', from: `${PEER}/phone`, body: `message ${n}`, at: 1_000 + n });
/** 25 messages on the "host": the latest 10 on open, then pages of 10 before a given id. */
const ALL = Array.from({ length: 25 }, (_, n) => msg(n));

let bridge: FakeBridge;
beforeEach(() => {
  chatsStore.setState(chatsStore.getInitialState(), true);
  bridge = useFakeBridge();
  bridge.handle('chat.history', ({ before }) => {
    const end = before === undefined ? ALL.length : ALL.findIndex((m) => m.id === before);
    return ALL.slice(Math.max(0, end - 10), end);
  });
});
afterEach(() => cleanup());

const bodies = () => within(screen.getByRole('log', { name: 'Messages' })).getAllByRole('listitem').map((li) => li.querySelector('p')!.textContent!);

describe('MessageList paging', () => {
  it('loads the page before the oldest message when scrolled to the top, until the host has nothing older', async () => {
    await chatsStore.getState().open(PEER);
    render(<MessageList jid={PEER} />);
    expect(bodies()).toHaveLength(10);
    const log = screen.getByRole('log', { name: 'Messages' });
    for (const expected of [20, 25, 25]) {
      log.scrollTop = 0;
      await act(async () => { fireEvent.scroll(log); });
      await waitFor(() => expect(bodies()).toHaveLength(expected));
    }
    expect(bodies()[0]).toBe('message 0');
    expect(bridge.argsOf('chat.history')).toEqual([{ jid: PEER }, { jid: PEER, before: 'm15' }, { jid: PEER, before: 'm5' }, { jid: PEER, before: 'm0' }]);
    // The host said there is nothing older: scrolling to the top again asks no more.
    await act(async () => { fireEvent.scroll(log); });
    expect(bridge.argsOf('chat.history')).toHaveLength(4);
    expect(chatsStore.getState().hasOlder[PEER]).toBe(false);
  });

  it('does not ask while not at the top', async () => {
    await chatsStore.getState().open(PEER);
    render(<MessageList jid={PEER} />);
    const log = screen.getByRole('log', { name: 'Messages' });
    Object.defineProperty(log, 'scrollTop', { configurable: true, get: () => 40, set: () => {} });
    await act(async () => { fireEvent.scroll(log); });
    expect(bridge.argsOf('chat.history')).toHaveLength(1);
  });
});
