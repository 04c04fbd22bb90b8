import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FullJid } from '../../../../shared/model/jid';
import type { TransferId, TransferSummary } from '../../../../shared/model/transfer';
import { Header } from '../../../../renderer/features/session/Header';
import { TransfersView } from '../../../../renderer/features/transfersView/TransfersView';
import { transfersStore } from '../../../../renderer/stores/transfersStore';
import { transfersViewStore } from '../../../../renderer/stores/transfersViewStore';
import { useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

const FILES: TransferSummary[] = [
  transfer({ id: 'a' as TransferId, direction: 'outgoing', peer: 'bob@localhost/ferry' as FullJid, file: { ...transfer().file, name: 'sending.bin', size: 4096 }, state: 'transferring', bytes: 1024, rate: 2048, startedAt: 5 }),
  transfer({ id: 'b' as TransferId, direction: 'incoming', peer: 'carol@localhost/phone' as FullJid, file: { ...transfer().file, name: 'got.jpg', size: 1024 }, state: 'done', bytes: 1024, path: '/dl/got.jpg', startedAt: 4 }),
  transfer({ id: 'c' as TransferId, direction: 'outgoing', peer: 'carol@localhost/phone' as FullJid, file: { ...transfer().file, name: 'nope.txt' }, state: 'declined', reason: 'declined', startedAt: 3 }),
  transfer({ id: 'd' as TransferId, direction: 'incoming', peer: 'bob@localhost/ferry' as FullJid, file: { ...transfer().file, name: 'broken.zip', size: 2048 }, state: 'transferring', bytes: 1024, rate: 1024, startedAt: 2 }),
];

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge({ 'transfer.remove': () => undefined });
  transfersViewStore.setState(transfersViewStore.getInitialState(), true);
  transfersStore.setState({ byId: Object.fromEntries(FILES.map((f) => [f.id, f])) });
  transfersViewStore.getState().open();
});
afterEach(cleanup);

const names = () => within(screen.getByRole('list', { name: 'All transfers' })).getAllByRole('listitem').map((li) => li.querySelector('.transfer-name')?.textContent);

describe('Transfers view (issue 11)', () => {
  it('lists every transfer across contacts, newest first, with the totals of the moving ones', () => {
    render(<TransfersView />);
    expect(names()).toEqual(['sending.bin', 'got.jpg', 'nope.txt', 'broken.zip']);
    const totals = screen.getByRole('status');
    expect(totals.textContent).toContain('2 active');
    expect(totals.textContent).toContain('2.0 KB of 6.0 KB');
    expect(totals.textContent).toContain('3.0 KB/s');
  });

  it('filters by state, direction and contact', () => {
    render(<TransfersView />);
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'active' } });
    expect(names()).toEqual(['sending.bin', 'broken.zip']);
    fireEvent.change(screen.getByLabelText('Direction'), { target: { value: 'incoming' } });
    expect(names()).toEqual(['broken.zip']);
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'all' } });
    fireEvent.change(screen.getByLabelText('Contact'), { target: { value: 'carol@localhost' } });
    expect(names()).toEqual(['got.jpg']);
    fireEvent.change(screen.getByLabelText('Direction'), { target: { value: 'all' } });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'failed' } });
    expect(names()).toEqual(['nope.txt']);
  });

  it('Clear finished removes each ended transfer shown (transfer.remove) and keeps the running ones', async () => {
    render(<TransfersView />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear finished (2)' }));
    await waitFor(() => expect(names()).toEqual(['sending.bin', 'broken.zip']));
    expect(bridge.argsOf('transfer.remove')).toEqual([{ id: 'b' }, { id: 'c' }]);
    expect(screen.getByRole('button', { name: 'Clear finished' })).toHaveProperty('disabled', true);
  });

  it('says how many could not be cleared when the host refuses', async () => {
    bridge.handle('transfer.remove', ({ id }) => { if (id === 'c') throw { code: 'not-found', message: 'That transfer is no longer in the list (no such transfer).' }; });
    render(<TransfersView />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear finished (2)' }));
    expect((await screen.findByRole('alert')).textContent).toBe('1 of 2 could not be cleared: That transfer is no longer in the list (no such transfer).');
  });

  it('opens from the header with the active count, and closes on Esc', () => {
    transfersViewStore.getState().close();
    render(<><Header /><TransfersView /></>);
    const button = screen.getByRole('button', { name: /Transfers/ });
    expect(within(button).getByLabelText('2 active').textContent).toBe('2');
    fireEvent.click(button);
    expect(screen.getByRole('dialog', { name: 'Transfers' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Transfers' })).toBeNull();
  });
});
