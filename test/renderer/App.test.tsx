import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { sessionStore } from '../../renderer/stores/sessionStore';
import type { SessionSnapshot } from '../../shared/model/session';
import { OFFLINE, ONLINE, useFakeBridge } from './support/fakeBridge';

afterEach(cleanup);

/** A session.get whose answer the test releases. */
function heldSessionGet() {
  let release: (snapshot: SessionSnapshot) => void = () => undefined;
  const answer = new Promise<SessionSnapshot>((resolve) => { release = resolve; });
  return { handler: () => answer, release };
}

// The e2e flake of issue 7 item 17: a page opened on a web host that was already logged in rendered the
// login form until session.get answered; the test (and a user) started typing into a form that vanished.
describe('App before the host has answered', () => {
  it('shows neither the login form nor the main view until session.get answers, then the main view for a live session', async () => {
    const held = heldSessionGet();
    useFakeBridge({ 'session.get': held.handler });
    render(<App />);
    const init = sessionStore.getState().init();
    expect(screen.queryByRole('form', { name: 'Log in' })).toBeNull();
    expect(screen.getByText('Starting…')).toBeTruthy();
    await act(async () => { held.release(ONLINE); await init; });
    expect(screen.queryByRole('form', { name: 'Log in' })).toBeNull();
    expect(screen.getByRole('status', { name: 'Connection' })).toBeTruthy();
  });

  it('shows the main view, not the form, when the host is reconnecting a session at page load', async () => {
    useFakeBridge({ 'session.get': () => ({ ...OFFLINE, state: 'reconnecting', retryInMs: 2000 }) });
    render(<App />);
    await act(async () => { await sessionStore.getState().init(); });
    expect(screen.queryByRole('form', { name: 'Log in' })).toBeNull();
    expect(screen.getByRole('status', { name: 'Connection' })).toBeTruthy();
  });

  it('shows the login form once the host says it is offline, and also when session.get fails', async () => {
    useFakeBridge();
    render(<App />);
    await act(async () => { await sessionStore.getState().init(); });
    expect(screen.getByRole('form', { name: 'Log in' })).toBeTruthy();
    cleanup();
    useFakeBridge({ 'session.get': () => { throw { code: 'internal', message: 'host down' }; } });
    render(<App />);
    await act(async () => { await sessionStore.getState().init(); });
    expect(screen.getByRole('form', { name: 'Log in' })).toBeTruthy();
  });
});
