import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import type { TransferId } from '../../../../shared/model/transfer';
import { api } from '../../../../renderer/api';
import { ChatView } from '../../../../renderer/features/chat/ChatView';
import { Timeline } from '../../../../renderer/features/chat/Timeline';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

const PEER = 'bob@localhost';
const msg = (n: number, overrides: Partial<ChatMessage> = {}): ChatMessage =>
  ({ id: `m${n}`, peer: PEER as BareJid, direction: 'incoming', from: `${PEER}/phone`, body: `message ${n}`, at: 1_000 + n, ...overrides });
/** 25 messages on the "host": the latest 10 on open, then pages of 10 before a given id. */
const ALL = Array.from({ length: 25 }, (_, n) => msg(n));

let bridge: FakeBridge;
let disconnect: () => void;
beforeEach(() => {
  bridge = useFakeBridge({ 'transfer.accept': () => undefined, 'transfer.decline': () => undefined });
  disconnect = connectStores(api);
  rosterStore.getState().setItems([rosterItem(PEER, { name: 'Bob' })]);
  bridge.handle('chat.history', ({ before }) => {
    const end = before === undefined ? ALL.length : ALL.findIndex((m) => m.id === before);
    return ALL.slice(Math.max(0, end - 10), end);
  });
});
afterEach(() => {
  disconnect();
  cleanup();
});

const log = () => screen.getByRole('log', { name: 'Conversation' });
const bodies = () => [...log().querySelectorAll('li.message')].map((li) => li.querySelector('p')!.textContent!);
/** Each row of the timeline: a message's body, or a card's accessible name. */
const rows = () => [...log().children].map((li) => (li.classList.contains('message') ? li.querySelector('p')!.textContent! : li.getAttribute('aria-label')!));

/** Gives the log a scrollable geometry (happy-dom lays nothing out): `height` of content in a 100 px box. */
function geometry(element: HTMLElement, height: () => number): void {
  Object.defineProperty(element, 'scrollHeight', { configurable: true, get: height });
  Object.defineProperty(element, 'clientHeight', { configurable: true, get: () => 100 });
}

describe('Timeline paging', () => {
  it('loads the page before the oldest message when scrolled to the top, until the host has nothing older', async () => {
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    expect(bodies()).toHaveLength(10);
    for (const expected of [20, 25, 25]) {
      log().scrollTop = 0;
      await act(async () => { fireEvent.scroll(log()); });
      await waitFor(() => expect(bodies()).toHaveLength(expected));
    }
    expect(bodies()[0]).toBe('message 0');
    expect(bridge.argsOf('chat.history')).toEqual([{ jid: PEER }, { jid: PEER, before: 'm15' }, { jid: PEER, before: 'm5' }, { jid: PEER, before: 'm0' }]);
    // The host said there is nothing older: scrolling to the top again asks no more.
    await act(async () => { fireEvent.scroll(log()); });
    expect(bridge.argsOf('chat.history')).toHaveLength(4);
    expect(chatsStore.getState().hasOlder[PEER]).toBe(false);
  });

  it('does not ask while not at the top', async () => {
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    Object.defineProperty(log(), 'scrollTop', { configurable: true, get: () => 40, set: () => {} });
    await act(async () => { fireEvent.scroll(log()); });
    expect(bridge.argsOf('chat.history')).toHaveLength(1);
  });
});

describe('Timeline order', () => {
  it('shows messages and file cards in one list by time, oldest at the top, cards where they were sent', async () => {
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    act(() => {
      bridge.emit('transfer.updated', transfer({ id: 'sent' as TransferId, direction: 'outgoing', state: 'done', startedAt: 1_017, file: { ...transfer().file, name: 'report.pdf' } }));
      bridge.emit('transfer.updated', transfer({ id: 'offer' as TransferId, startedAt: 1_030, file: { ...transfer().file, name: 'later.zip' } }));
      bridge.emit('transfer.updated', transfer({ id: 'old' as TransferId, state: 'failed', startedAt: 1_000, file: { ...transfer().file, name: 'old.txt' } }));
    });
    expect(rows()).toEqual([
      // message 17 was sent at the same millisecond as report.pdf: the message comes first.
      'old.txt, Failed', ...Array.from({ length: 3 }, (_, i) => `message ${15 + i}`), 'report.pdf, Done',
      ...Array.from({ length: 7 }, (_, i) => `message ${18 + i}`), 'Incoming file: later.zip',
    ]);
  });

  it('says so when there are neither messages nor files', () => {
    render(<Timeline jid={PEER} />);
    expect(screen.getByText('No messages yet. Say hello!')).toBeTruthy();
  });
});

describe('Timeline scrolling', () => {
  it('follows new items while the user is at the bottom, and stays put once scrolled up, except for their own message', async () => {
    let height = 1_000;
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    geometry(log(), () => height);
    height = 1_100;
    act(() => bridge.emit('chat.received', msg(30)));
    expect(log().scrollTop).toBe(1_100);

    log().scrollTop = 300; // the user scrolls up to read
    fireEvent.scroll(log());
    height = 1_200;
    act(() => bridge.emit('chat.received', msg(31)));
    act(() => bridge.emit('transfer.updated', transfer({ startedAt: 1_032 })));
    expect(log().scrollTop).toBe(300);

    height = 1_300;
    act(() => bridge.emit('chat.received', msg(33, { direction: 'outgoing', from: 'alice@localhost/ferry' })));
    expect(log().scrollTop).toBe(1_300);
  });
});

describe('Timeline scrolling when an item grows by itself (issue 11)', () => {
  const PICTURE = transfer({ id: 'pic' as TransferId, state: 'done', startedAt: 1_040, thumbnail: { mediaType: 'image/jpeg', bytes: 900, png: 'iVBORw0KGgo=' } });
  /** An image finished loading: 'load' does not bubble. */
  const loaded = () => act(() => { log().querySelector('img')!.dispatchEvent(new Event('load', { bubbles: false })); });

  it('scrolls to the end again when the last card\'s thumbnail finishes loading while the user is at the bottom', async () => {
    let height = 1_000;
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    geometry(log(), () => height);
    act(() => bridge.emit('transfer.updated', PICTURE));
    expect(log().scrollTop).toBe(1_000);
    height = 1_180; // the thumbnail decoded: the card is taller, and nothing rendered
    loaded();
    expect(log().scrollTop).toBe(1_180);
    // The scroll event of that stick comes after the content grew again: it is ours, not the user scrolling up.
    height = 1_300;
    fireEvent.scroll(log());
    loaded();
    expect(log().scrollTop).toBe(1_300);
  });

  it('stays put when the user had scrolled up, or a scroll not yet reported moved the view (a revealed card)', async () => {
    let height = 1_000;
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    geometry(log(), () => height);
    act(() => bridge.emit('transfer.updated', PICTURE));
    log().scrollTop = 300;
    fireEvent.scroll(log());
    height = 1_180;
    loaded();
    expect(log().scrollTop).toBe(300);

    log().scrollTop = 1_180; // back at the bottom
    fireEvent.scroll(log());
    log().scrollTop = 500; // scrollIntoView of a revealed card; its scroll event comes a frame later
    height = 1_260;
    loaded();
    expect(log().scrollTop).toBe(500);
  });
});

describe('Timeline offers and the keyboard', () => {
  it('gives the newest offer card focus when it arrives and nothing is being typed; Enter accepts it', async () => {
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    act(() => bridge.emit('transfer.updated', transfer({ startedAt: 1_030 })));
    const card = screen.getByRole('listitem', { name: 'Incoming file: photo.jpg' });
    expect(document.activeElement).toBe(card);
    fireEvent.keyDown(card, { key: 'Enter' });
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1' }]));
  });

  it('does not take focus from the composer while the user is typing, and Enter there sends the message, not the file', async () => {
    bridge.handle('chat.send', ({ to, body }) => msg(40, { peer: to as BareJid, body, direction: 'outgoing' }));
    await chatsStore.getState().open(PEER);
    render(<ChatView />);
    const box = screen.getByLabelText('Message to Bob');
    box.focus();
    fireEvent.change(box, { target: { value: 'on my way' } });
    act(() => bridge.emit('transfer.updated', transfer({ startedAt: 1_030 })));
    expect(document.activeElement).toBe(box);
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(bridge.argsOf('chat.send')).toHaveLength(1));
    expect(bridge.argsOf('transfer.accept')).toEqual([]);
  });

  it('Esc on an offer card goes back to the composer and declines nothing', async () => {
    await chatsStore.getState().open(PEER);
    render(<ChatView />);
    act(() => bridge.emit('transfer.updated', transfer({ startedAt: 1_030 })));
    const card = screen.getByRole('listitem', { name: 'Incoming file: photo.jpg' });
    expect(document.activeElement).toBe(card);
    fireEvent.keyDown(card, { key: 'Escape' });
    expect(document.activeElement).toBe(screen.getByLabelText('Message to Bob'));
    expect(bridge.argsOf('transfer.decline')).toEqual([]);
    expect(screen.getByRole('listitem', { name: 'Incoming file: photo.jpg' })).toBeTruthy();
  });

  it('Enter on a batch card accepts every file in it; the answered files become cards in the timeline', async () => {
    await chatsStore.getState().open(PEER);
    render(<Timeline jid={PEER} />);
    act(() => ['a', 'b', 'c'].forEach((id, i) => bridge.emit('transfer.updated', transfer({ id: id as TransferId, startedAt: 1_030 + i, file: { ...transfer().file, name: `${id}.bin` } }))));
    const batch = screen.getByRole('listitem', { name: '3 incoming files' });
    expect(document.activeElement).toBe(batch);
    fireEvent.keyDown(batch, { key: 'Enter' });
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]));
    expect(screen.queryByRole('listitem', { name: '3 incoming files' })).toBeNull();
    expect(within(log()).getAllByRole('listitem', { name: /\.bin, Offered$/ })).toHaveLength(3);
  });
});
