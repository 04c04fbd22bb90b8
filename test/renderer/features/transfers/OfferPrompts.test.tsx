import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FullJid } from '../../../../shared/model/jid';
import type { TransferId, TransferSummary } from '../../../../shared/model/transfer';
import { api } from '../../../../renderer/api';
import { OfferPrompts } from '../../../../renderer/features/transfers/OfferPrompts';
import { revealStore } from '../../../../renderer/stores/revealStore';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { CLOSED_TOASTS_LIMIT } from '../../../../renderer/features/transfers/closedToasts';
import { ONLINE, rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

let bridge: FakeBridge;
let disconnect: () => void;
beforeEach(() => {
  bridge = useFakeBridge({ 'transfer.accept': () => undefined, 'transfer.decline': () => undefined });
  disconnect = connectStores(api);
  rosterStore.getState().setItems([rosterItem('bob@localhost', { name: 'Bob' }), rosterItem('carol@localhost', { name: 'Carol' })]);
});
afterEach(() => {
  disconnect();
  cleanup();
});

const OFFER = transfer({ file: { name: 'holiday.mov', size: 5 * 1024 * 1024, mediaType: 'video/quicktime', date: null, description: '', md5: null } });
const STRANGER = transfer({ ...OFFER, id: 's1' as TransferId, peer: 'mallory@evil.example/x' as FullJid });

describe('OfferPrompts: offers of chats that are not open', () => {
  it('shows a contact\'s offer as a toast, not a dialog; Open chat opens that chat at the offer\'s card', async () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', OFFER));
    expect(screen.queryByRole('dialog')).toBeNull();
    const toast = screen.getByRole('status');
    expect(toast.textContent).toContain('Bob wants to send you holiday.mov');
    fireEvent.click(within(toast).getByRole('button', { name: 'Open chat' }));
    await waitFor(() => expect(chatsStore.getState().openJid).toBe('bob@localhost'));
    expect(revealStore.getState().target).toEqual({ jid: 'bob@localhost', transferId: OFFER.id });
    revealStore.getState().done();
    expect(screen.queryByRole('status')).toBeNull(); // its chat is open: the card is in the timeline now
  });

  it('one toast per sender, counting the files; none for the open chat, for outgoing or answered transfers', async () => {
    await chatsStore.getState().open('carol@localhost');
    render(<OfferPrompts />);
    act(() => {
      bridge.emit('transfer.updated', OFFER);
      bridge.emit('transfer.updated', transfer({ id: 't2' as TransferId, startedAt: 2 }));
      bridge.emit('transfer.updated', transfer({ id: 't3' as TransferId, direction: 'outgoing' }));
      bridge.emit('transfer.updated', transfer({ id: 't4' as TransferId, peer: 'carol@localhost/pc' as FullJid }));
    });
    expect(screen.getAllByRole('status').map((t) => t.textContent)).toEqual([expect.stringContaining('Bob wants to send you 2 files')]);
    act(() => bridge.emit('transfer.updated', { ...OFFER, state: 'transferring' }));
    expect(screen.getByRole('status').textContent).toContain('Bob wants to send you photo.jpg');
  });

  it('× and Esc close a toast without answering the offer', () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.keyDown(within(screen.getByRole('status')).getByRole('button', { name: 'Open chat' }), { key: 'Escape' });
    expect(screen.queryByRole('status')).toBeNull();
    act(() => bridge.emit('transfer.updated', transfer({ id: 't2' as TransferId, startedAt: 2 })));
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: /^Close/ }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(bridge.argsOf('transfer.decline')).toEqual([]);
    expect(bridge.argsOf('transfer.accept')).toEqual([]);
  });
});

describe('OfferPrompts: closed toasts stay closed (issue 11)', () => {
  const KEY = 'ferry.closedToasts:alice@localhost';
  beforeEach(() => {
    sessionStorage.clear();
    sessionStore.setState({ accountJid: ONLINE.jid }); // the account only: going online would load (and empty) the roster
  });

  /** A page reload: the stores start again empty, the page's sessionStorage stays; the host announces the offers again. */
  function reload(...offers: TransferSummary[]): void {
    cleanup();
    disconnect();
    bridge = useFakeBridge();
    disconnect = connectStores(api);
    sessionStore.setState({ accountJid: ONLINE.jid });
    rosterStore.getState().setItems([rosterItem('bob@localhost', { name: 'Bob' }), rosterItem('carol@localhost', { name: 'Carol' })]);
    render(<OfferPrompts />);
    act(() => { for (const offer of offers) bridge.emit('transfer.updated', offer); });
  }

  it('a toast closed with × does not come back after a page reload; a new offer still shows', () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: /^Close/ }));
    expect(screen.queryByRole('status')).toBeNull();
    reload(OFFER);
    expect(screen.queryByRole('status')).toBeNull();
    act(() => bridge.emit('transfer.updated', transfer({ id: 'new' as TransferId, peer: 'carol@localhost/pc' as FullJid, startedAt: 5 })));
    expect(screen.getByRole('status').textContent).toContain('Carol wants to send you photo.jpg');
  });

  it('remembers them per account, and only the ids still offered (bounded)', () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: /^Close/ }));
    expect(JSON.parse(sessionStorage.getItem(KEY)!)).toEqual([OFFER.id]);
    // The offer was answered (no longer offered); closing the next toast prunes it.
    act(() => {
      bridge.emit('transfer.updated', { ...OFFER, state: 'transferring' });
      bridge.emit('transfer.updated', transfer({ id: 'c1' as TransferId, peer: 'carol@localhost/pc' as FullJid, startedAt: 5 }));
    });
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: /^Close/ }));
    expect(JSON.parse(sessionStorage.getItem(KEY)!)).toEqual(['c1']);
    const many = Array.from({ length: CLOSED_TOASTS_LIMIT + 5 }, (_, n) => transfer({ id: `x${n}` as TransferId, startedAt: 10 + n }));
    act(() => { for (const offer of many) bridge.emit('transfer.updated', offer); });
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: /^Close/ }));
    expect(JSON.parse(sessionStorage.getItem(KEY)!)).toHaveLength(CLOSED_TOASTS_LIMIT);
    // Another account on the same page has its own: bob's toast shows for it.
    act(() => sessionStore.setState({ accountJid: 'dave@localhost/ferry' }));
    expect(screen.getAllByRole('status').map((t) => t.textContent)).toEqual([
      expect.stringContaining('Carol wants to send you photo.jpg'), expect.stringContaining(`Bob wants to send you ${many.length} files`),
    ]);
  });
});

describe('OfferPrompts: a stranger\'s offer', () => {
  it('is a modal dialog saying "not in your contacts", with the facts, and takes focus', () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', STRANGER));
    const dialog = screen.getByRole('dialog', { name: 'Incoming file: holiday.mov' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('mallory@evil.example not in your contacts');
    expect(dialog.textContent).toContain('5.0 MB');
    expect(dialog.textContent).toContain('video/quicktime');
    expect(document.activeElement).toBe(dialog);
  });

  it('keeps Tab and Shift+Tab inside the modal (WAI-ARIA dialog pattern)', () => {
    render(<><button type="button">outside</button><OfferPrompts /></>);
    act(() => bridge.emit('transfer.updated', STRANGER));
    const dialog = screen.getByRole('dialog', { name: 'Incoming file: holiday.mov' });
    const buttons = within(dialog).getAllByRole('button');
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(buttons.at(-1));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(buttons[0]);
    screen.getByRole('button', { name: 'outside' }).focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  it('shows a spoofed name (RLO override) as it will be saved, with the offered name made visible', () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', { ...STRANGER, file: { ...OFFER.file, name: 'Invoice\u202Efdp.exe' } }));
    const dialog = screen.getByRole('dialog', { name: 'Incoming file: Invoicefdp.exe' });
    expect(dialog.querySelector('.offer-offered-as')!.textContent).toBe('Invoice⟨U+202E⟩fdp.exe');
    expect(dialog.textContent).not.toContain('\u202E');
  });

  it('Accept calls transfer.accept and closes it', async () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', STRANGER));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 's1' }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Esc closes it without declining; the offer stays, as a toast', () => {
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', STRANGER));
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.argsOf('transfer.decline')).toEqual([]);
    expect(screen.getByRole('status').textContent).toContain('mallory@evil.example wants to send you holiday.mov');
  });

  it('keeps the dialog and shows the error when accepting fails', async () => {
    bridge.handle('transfer.accept', () => { throw { code: 'not-found', message: 'The offer is gone.' }; });
    render(<OfferPrompts />);
    act(() => bridge.emit('transfer.updated', STRANGER));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Accept' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The offer is gone.');
    expect(within(screen.getByRole('dialog')).getByRole('alert')).toBeTruthy();
  });
});
