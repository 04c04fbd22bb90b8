import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FullJid } from '../../../../shared/model/jid';
import type { TransferId } from '../../../../shared/model/transfer';
import { api } from '../../../../renderer/api';
import { OfferDialogs } from '../../../../renderer/features/transfers/OfferDialogs';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

let bridge: FakeBridge;
let disconnect: () => void;
beforeEach(() => {
  bridge = useFakeBridge({
    'transfer.accept': () => undefined, 'transfer.decline': () => undefined, 'file.pickFolder': () => '/home/bob/Pictures',
  });
  disconnect = connectStores(api);
  rosterStore.getState().setItems([rosterItem('bob@localhost', { name: 'Bob' })]);
});
afterEach(() => {
  disconnect();
  cleanup();
});

const OFFER = transfer({ file: { name: 'holiday.mov', size: 5 * 1024 * 1024, mediaType: 'video/quicktime', date: null, description: '', md5: null } });

function offerDialog() {
  return screen.getByRole('dialog', { name: 'Incoming file: holiday.mov' });
}

describe('OfferDialogs', () => {
  it('shows an incoming offer as a labelled dialog with sender, name, size and media type', () => {
    render(<OfferDialogs />);
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => bridge.emit('transfer.updated', OFFER));
    const dialog = offerDialog();
    expect(dialog.textContent).toContain('From Bob (bob@localhost/phone)');
    expect(dialog.textContent).toContain('5.0 MB');
    expect(dialog.textContent).toContain('video/quicktime');
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(dialog.textContent).not.toContain('not in your contacts');
  });

  it('shows a spoofed name (RLO override) as it will be saved, with the offered name and its override made visible', () => {
    render(<OfferDialogs />);
    const spoofed = transfer({ file: { ...OFFER.file, name: 'Invoice\u202Efdp.exe', mediaType: 'application/octet-stream' } });
    act(() => bridge.emit('transfer.updated', spoofed));
    const dialog = screen.getByRole('dialog', { name: 'Incoming file: Invoicefdp.exe' });
    expect(dialog.querySelector('.offer-name')!.textContent).toBe('Invoicefdp.exe');
    expect(dialog.querySelector('.offer-offered-as')!.textContent).toBe('Invoice⟨U+202E⟩fdp.exe');
    expect(dialog.textContent).not.toContain('\u202E');
    expect(dialog.textContent).toContain('application/octet-stream');
  });

  it('Accept calls transfer.accept with the id and closes the dialog', async () => {
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(offerDialog()).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1' }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Decline calls transfer.decline with the id', async () => {
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(offerDialog()).getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(bridge.argsOf('transfer.decline')).toEqual([{ id: 't1' }]));
    expect(bridge.argsOf('transfer.accept')).toEqual([]);
  });

  it('Save to… asks for a folder with file.pickFolder and passes it as dir', async () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(offerDialog()).getByRole('button', { name: 'Save to…' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1', dir: '/home/bob/Pictures' }]));
    expect(bridge.argsOf('file.pickFolder')).toHaveLength(1);
  });

  it('Save to… accepts nothing when the folder dialog is cancelled', async () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    bridge.handle('file.pickFolder', () => null);
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(offerDialog()).getByRole('button', { name: 'Save to…' }));
    await waitFor(() => expect(bridge.argsOf('file.pickFolder')).toHaveLength(1));
    expect(bridge.argsOf('transfer.accept')).toEqual([]);
    expect(offerDialog()).toBeTruthy();
  });

  it('hides Save to… in the web host', () => {
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', OFFER));
    expect(within(offerDialog()).queryByRole('button', { name: /Save to/ })).toBeNull();
  });

  it('marks an offer from a JID outside the roster as "not in your contacts"', () => {
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', transfer({ ...OFFER, peer: 'mallory@evil.example/x' as FullJid })));
    expect(offerDialog().textContent).toContain('mallory@evil.example not in your contacts');
  });

  it('shows one dialog per pending offer, and none for outgoing or answered transfers', () => {
    render(<OfferDialogs />);
    act(() => {
      bridge.emit('transfer.updated', OFFER);
      bridge.emit('transfer.updated', transfer({ id: 't2' as TransferId, startedAt: 2 }));
      bridge.emit('transfer.updated', transfer({ id: 't3' as TransferId, direction: 'outgoing' }));
    });
    expect(screen.getAllByRole('dialog')).toHaveLength(2);
    act(() => bridge.emit('transfer.updated', { ...OFFER, state: 'transferring' }));
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
  });

  it('keeps the dialog and shows the error when accepting fails', async () => {
    bridge.handle('transfer.accept', () => { throw { code: 'not-found', message: 'The offer is gone.' }; });
    render(<OfferDialogs />);
    act(() => bridge.emit('transfer.updated', OFFER));
    fireEvent.click(within(offerDialog()).getByRole('button', { name: 'Accept' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The offer is gone.');
    expect(offerDialog()).toBeTruthy();
  });
});
