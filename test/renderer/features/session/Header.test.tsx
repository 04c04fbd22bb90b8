import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionText } from '../../../../renderer/features/session/ConnectionStatus';
import { Header } from '../../../../renderer/features/session/Header';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { ONLINE, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

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
});
