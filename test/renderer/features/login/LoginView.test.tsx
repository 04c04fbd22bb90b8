import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginView } from '../../../../renderer/features/login/LoginView';
import { LOGIN_RETRY_DELAYS_MS, sessionStore } from '../../../../renderer/stores/sessionStore';
import { ONLINE, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge();
});
afterEach(cleanup);

function fillAndSubmit(jid: string, password: string) {
  fireEvent.change(screen.getByLabelText('Address (JID)'), { target: { value: jid } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('LoginView', () => {
  it('submits jid, password, service and allowPlaintext from the Advanced section', async () => {
    bridge.handle('session.login', () => ONLINE);
    render(<LoginView />);
    fireEvent.click(screen.getByText('Advanced'));
    fireEvent.change(screen.getByLabelText('Service URL'), { target: { value: ' xmpp://127.0.0.1:35222 ' } });
    fireEvent.click(screen.getByLabelText('Allow plaintext on loopback'));
    fillAndSubmit(' alice@localhost ', 's3cret');
    await screen.findByRole('button', { name: 'Log in' });
    expect(bridge.argsOf('session.login')).toEqual([
      { jid: 'alice@localhost', password: 's3cret', service: 'xmpp://127.0.0.1:35222', allowPlaintext: true },
    ]);
    expect(sessionStore.getState().hasSession).toBe(true);
  });

  it('shows a not-authorized error as "wrong address or password"', async () => {
    bridge.handle('session.login', () => { throw { code: 'not-authorized', message: 'not-authorized' }; });
    render(<LoginView />);
    fillAndSubmit('alice@localhost', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong address or password.');
    expect(sessionStore.getState().hasSession).toBe(false);
  });

  it('checks the form before calling the host', () => {
    render(<LoginView />);
    fillAndSubmit('alice', 'pw');
    expect(screen.getByRole('alert').textContent).toMatch(/name@example.org/);
    expect(bridge.argsOf('session.login')).toEqual([]);
  });

  it('offers "remember me" only on the Electron host, and sends it', async () => {
    bridge.handle('session.login', () => ONLINE);
    const { unmount } = render(<LoginView />);
    expect(screen.queryByLabelText('Remember me')).toBeNull();
    unmount();
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null, canRemember: true } });
    render(<LoginView />);
    expect(screen.queryByText(/no secure keyring/)).toBeNull();
    fireEvent.click(screen.getByLabelText('Remember me'));
    fillAndSubmit('alice@localhost', 'pw');
    await screen.findByRole('button', { name: 'Log in' });
    expect(bridge.argsOf('session.login')).toEqual([{ jid: 'alice@localhost', password: 'pw', remember: true }]);
  });
});

describe('LoginView on an Electron host without a secure keyring', () => {
  for (const canRemember of [false, undefined]) {
    it(`offers no "remember me" and says why (host.info canRemember ${String(canRemember)})`, async () => {
      bridge.handle('session.login', () => ONLINE);
      sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null, ...(canRemember === undefined ? {} : { canRemember }) } });
      render(<LoginView />);
      expect(screen.queryByLabelText('Remember me')).toBeNull();
      expect(screen.getByText(/cannot remember your password on this computer: it has no secure keyring/)).toBeTruthy();
      fillAndSubmit('alice@localhost', 'pw');
      await screen.findByRole('button', { name: 'Log in' });
      expect(bridge.argsOf('session.login')).toEqual([{ jid: 'alice@localhost', password: 'pw' }]);
    });
  }
});

describe('LoginView after a failure: retries and what to try', () => {
  it('tries a network failure three times, showing each attempt, then says what to try and opens Advanced', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      bridge.handle('session.login', () => { calls += 1; throw { code: 'cannot-connect', message: 'Cannot reach example.org (ECONNREFUSED).' }; });
      render(<LoginView />);
      fillAndSubmit('alice@example.org', 'pw');
      await act(async () => { await vi.advanceTimersByTimeAsync(0); });
      expect(calls).toBe(1);
      expect(screen.getByRole('button', { name: 'Connecting… (attempt 2 of 3)' })).toBeTruthy();
      await act(async () => { await vi.advanceTimersByTimeAsync(LOGIN_RETRY_DELAYS_MS[0]); });
      expect(calls).toBe(2);
      expect(screen.getByRole('button', { name: 'Connecting… (attempt 3 of 3)' })).toBeTruthy();
      await act(async () => { await vi.advanceTimersByTimeAsync(LOGIN_RETRY_DELAYS_MS[1]); });
      expect(calls).toBe(3);
      expect(screen.getByRole('button', { name: 'Log in' })).toBeTruthy();
      expect(screen.getByRole('note').textContent).toMatch(/^Ferry tried 3 times\. Check the part of the address after the @/);
      expect((screen.getByText('Advanced').closest('details') as HTMLDetailsElement).open).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not retry a refused password; its hint is about the password, and Advanced stays closed', async () => {
    let calls = 0;
    bridge.handle('session.login', () => { calls += 1; throw { code: 'not-authorized', message: 'not-authorized' }; });
    render(<LoginView />);
    fillAndSubmit('alice@example.org', 'pw');
    expect((await screen.findByRole('note')).textContent).toMatch(/Check the password/);
    expect(calls).toBe(1);
    expect((screen.getByText('Advanced').closest('details') as HTMLDetailsElement).open).toBe(false);
  });

  it('stops retrying as soon as an attempt gets through', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      bridge.handle('session.login', () => { calls += 1; if (calls === 1) throw { code: 'timeout', message: 'timeout' }; return ONLINE; });
      render(<LoginView />);
      fillAndSubmit('alice@example.org', 'pw');
      await act(async () => { await vi.advanceTimersByTimeAsync(LOGIN_RETRY_DELAYS_MS[0] + 10); });
      expect(calls).toBe(2);
      expect(sessionStore.getState().hasSession).toBe(true);
      expect(sessionStore.getState().errorText).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('LoginView on a web host that remembers the address', () => {
  it('fills in the remembered address and options, asks only for the password, and remembers again', async () => {
    bridge.handle('session.login', () => ONLINE);
    sessionStore.setState({ host: { kind: 'web', hasNativeFiles: false, rememberedJid: null, rememberedAddress: { jid: 'alice@localhost', service: 'xmpp://127.0.0.1:5222' } } });
    render(<LoginView />);
    expect((screen.getByLabelText('Address (JID)') as HTMLInputElement).value).toBe('alice@localhost');
    expect((screen.getByLabelText('Service URL') as HTMLInputElement).value).toBe('xmpp://127.0.0.1:5222');
    expect((screen.getByLabelText(/Remember my address/) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await screen.findByRole('button', { name: 'Log in' });
    expect(bridge.argsOf('session.login')).toEqual([{ jid: 'alice@localhost', password: 'pw', service: 'xmpp://127.0.0.1:5222', remember: true }]);
  });

  it('unticking "Remember my address" over a remembered one tells the host to forget it (remember: false)', async () => {
    bridge.handle('session.login', () => ONLINE);
    sessionStore.setState({ host: { kind: 'web', hasNativeFiles: false, rememberedJid: null, rememberedAddress: { jid: 'alice@localhost' } } });
    render(<LoginView />);
    fireEvent.click(screen.getByLabelText(/Remember my address/));
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await screen.findByRole('button', { name: 'Log in' });
    expect(bridge.argsOf('session.login')).toEqual([{ jid: 'alice@localhost', password: 'pw', remember: false }]);
  });

  it('offers no remembering on a web host without a data folder', () => {
    sessionStore.setState({ host: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
    render(<LoginView />);
    expect(screen.queryByLabelText(/Remember/)).toBeNull();
  });
});
