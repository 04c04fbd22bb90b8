import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionText } from '../../../../renderer/features/session/ConnectionStatus';
import { Header } from '../../../../renderer/features/session/Header';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { ONLINE, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfersStore } from '../../../../renderer/stores/transfersStore';
import { transfer } from '../../support/transfers';
import type { TransferId } from '../../../../shared/model/transfer';

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Header', () => {
  it('words every connection state', () => {
    expect(connectionText('connecting', null, null)).toBe('Connecting…');
    expect(connectionText('online', null, null)).toBe('Online');
    expect(connectionText('reconnecting', 7, null)).toBe('Reconnecting in 7 s');
    expect(connectionText('failed', null, 'Wrong address or password.')).toBe('Failed: Wrong address or password.');
  });

  it('counts down while reconnecting', () => {
    vi.useFakeTimers();
    sessionStore.getState().applySnapshot(ONLINE);
    sessionStore.getState().applySnapshot({ ...ONLINE, state: 'reconnecting', retryInMs: 5000 });
    render(<Header />);
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toBe('Reconnecting in 5 s');
    act(() => vi.advanceTimersByTime(2000));
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toBe('Reconnecting in 3 s');
  });

  it('shows a failure with its reason', () => {
    sessionStore.getState().applySnapshot(ONLINE);
    sessionStore.getState().applySnapshot({ ...ONLINE, state: 'failed', error: { code: 'cannot-connect', message: 'ECONNREFUSED' } });
    render(<Header />);
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(/^Failed: Could not reach the server.*ECONNREFUSED/);
  });

  it('sets own presence through presence.set', async () => {
    bridge.handle('presence.set', () => undefined);
    sessionStore.getState().applySnapshot(ONLINE);
    render(<Header />);
    const select = screen.getByRole('combobox', { name: 'Your presence' }) as HTMLSelectElement;
    await act(async () => {
      select.value = 'dnd';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(bridge.argsOf('presence.set')).toEqual([{ show: 'dnd' }]);
    expect(select.value).toBe('dnd');
  });

  it('asks before logging out with transfers running, saying received files are kept; confirming logs out without cancelling any (the core stops them, keeping their .part: issue #10)', async () => {
    bridge.handle('transfer.cancel', () => undefined);
    bridge.handle('session.logout', () => ({ ...ONLINE, state: 'offline', jid: null }));
    sessionStore.getState().applySnapshot(ONLINE);
    transfersStore.getState().upsert(transfer({ id: 'run' as TransferId, direction: 'incoming', state: 'transferring' }));
    transfersStore.getState().upsert(transfer({ id: 'old' as TransferId, state: 'done' }));
    render(<Header />);
    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(bridge.calls.map((c) => c.name)).not.toContain('session.logout');
    const text = screen.getByRole('alertdialog').textContent;
    expect(text).toContain('1 transfer is running.');
    expect(text).toContain('files being received are kept and can be resumed');
    fireEvent.click(screen.getByRole('button', { name: 'Stay' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Stop transfers and log out' })); });
    const names = bridge.calls.map((c) => c.name);
    expect(names).toContain('session.logout');
    expect(names).not.toContain('transfer.cancel');
  });

  it('logs out at once when nothing is running', async () => {
    bridge.handle('session.logout', () => ({ ...ONLINE, state: 'offline', jid: null }));
    sessionStore.getState().applySnapshot(ONLINE);
    render(<Header />);
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Log out' })); });
    expect(bridge.calls.map((c) => c.name)).toContain('session.logout');
  });
});
