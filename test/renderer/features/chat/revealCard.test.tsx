import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import type { TransferId } from '../../../../shared/model/transfer';
import { api } from '../../../../renderer/api';
import { Timeline } from '../../../../renderer/features/chat/Timeline';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { revealStore } from '../../../../renderer/stores/revealStore';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { transfersViewStore } from '../../../../renderer/stores/transfersViewStore';
import { rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

// Issue #11 "Notifications": a click opens the chat at that card.
const PEER = 'bob@localhost';
const msg = (n: number): ChatMessage =>
  ({ id: `m${n}`, peer: PEER as BareJid, direction: 'incoming', from: `${PEER}/phone`, body: `message ${n}`, at: 1_000 + n });

let bridge: FakeBridge;
let disconnect: () => void;
let scrolled: Element[];
beforeEach(() => {
  bridge = useFakeBridge({ 'chat.history': () => Array.from({ length: 10 }, (_, n) => msg(n)) });
  disconnect = connectStores(api);
  rosterStore.getState().setItems([rosterItem(PEER, { name: 'Bob' })]);
  chatsStore.getState().close();
  scrolled = [];
  Element.prototype.scrollIntoView = vi.fn(function (this: Element) { scrolled.push(this); });
});
afterEach(() => {
  disconnect();
  cleanup();
  revealStore.getState().done();
});

const card = (name: RegExp) => screen.getByRole('listitem', { name });

describe('revealing a transfer\'s card (a notification or toast was clicked)', () => {
  it('the host\'s ui.reveal opens that chat, closes the transfers view, scrolls to the card and marks it', async () => {
    transfersViewStore.getState().open();
    act(() => bridge.emit('transfer.updated', transfer({ id: 'done1' as TransferId, state: 'done', startedAt: 1_003, endedAt: 1_004, file: { ...transfer().file, name: 'report.pdf' } })));
    act(() => bridge.emit('ui.reveal', { peer: PEER as BareJid, transferId: 'done1' as TransferId }));
    expect(transfersViewStore.getState().isOpen).toBe(false);
    await waitFor(() => expect(chatsStore.getState().openJid).toBe(PEER));
    render(<Timeline jid={PEER} />);
    await waitFor(() => expect(scrolled).toContain(card(/report\.pdf/)));
    expect(card(/report\.pdf/).classList.contains('is-revealed')).toBe(true);
    expect(revealStore.getState().target).toBeNull();
    // Another card is neither scrolled to nor marked.
    expect(scrolled).toHaveLength(1);
  });

  it('an offer card is also focused, so Enter accepts it', async () => {
    act(() => bridge.emit('transfer.updated', transfer({ id: 'offer1' as TransferId, startedAt: 1_002, file: { ...transfer().file, name: 'photo.jpg' } })));
    act(() => bridge.emit('transfer.updated', transfer({ id: 'done2' as TransferId, state: 'done', startedAt: 1_005, endedAt: 1_006, file: { ...transfer().file, name: 'newer.txt' } })));
    act(() => revealStore.getState().reveal(`${PEER}/phone`, 'offer1'));
    render(<Timeline jid={PEER} />);
    await waitFor(() => expect(document.activeElement).toBe(card(/Incoming file: photo\.jpg/)));
    expect(scrolled).toEqual([card(/Incoming file: photo\.jpg/)]);
  });

  it('waits for a card the timeline does not have yet, and shows it when it comes', async () => {
    await act(async () => { await chatsStore.getState().open(PEER); });
    render(<Timeline jid={PEER} />);
    act(() => revealStore.getState().reveal(PEER, 'late'));
    expect(revealStore.getState().target).toEqual({ jid: PEER, transferId: 'late' });
    act(() => bridge.emit('transfer.updated', transfer({ id: 'late' as TransferId, state: 'failed', startedAt: 1_001, endedAt: 1_002, file: { ...transfer().file, name: 'late.bin' } })));
    await waitFor(() => expect(scrolled).toContain(card(/late\.bin/)));
    expect(revealStore.getState().target).toBeNull();
  });

  it('a request for another contact\'s card leaves this chat alone', async () => {
    await act(async () => { await chatsStore.getState().open(PEER); });
    act(() => bridge.emit('transfer.updated', transfer({ id: 'mine' as TransferId, state: 'done', startedAt: 1_003, endedAt: 1_004 })));
    render(<Timeline jid={PEER} />);
    act(() => revealStore.setState({ target: { jid: 'carol@localhost', transferId: 'mine' } }));
    await act(async () => { await new Promise((resolve) => requestAnimationFrame(() => resolve(null))); });
    expect(scrolled).toEqual([]);
    expect(revealStore.getState().target).toEqual({ jid: 'carol@localhost', transferId: 'mine' });
  });
});
