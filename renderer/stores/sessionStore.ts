/** The session domain: the host's snapshot, login/logout, own presence, and the page's link to the host. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { HostInfo } from '../../shared/ipc/contract';
import type { LoginArgs, SessionSnapshot, Show } from '../../shared/model/session';
import { api, toWireError } from '../api';
import type { HostLinkState } from '../bridge/webBridge';
import { errorText } from './errorText';

export interface SessionState {
  snapshot: SessionSnapshot;
  /** Own full JID, kept while reconnecting (the snapshot has none then); null when logged out. */
  accountJid: string | null;
  host: HostInfo | null;
  /** True from the first 'online' until logout or 'offline': the main view is shown. */
  hasSession: boolean;
  /**
   * False until the host has said whether a session exists (init's answer, or a session.changed). Until
   * then neither the login form nor the main view shows: a logged-in host must not flash the login form.
   */
  isReady: boolean;
  isBusy: boolean;
  /** What to tell the user about the last failure; null when nothing went wrong. */
  errorText: string | null;
  /** The wire code of that failure ('cannot-connect', 'not-authorized'…), for the login form's hint. */
  errorCode: string | null;
  /** While a login tries again after a network failure: which attempt, of how many; null otherwise. */
  loginAttempt: { attempt: number; of: number } | null;
  /** When state is 'reconnecting': ms since epoch of the next attempt. */
  retryAt: number | null;
  ownShow: Show;
  ownStatus: string;
  link: HostLinkState;
  init(): Promise<void>;
  login(args: LoginArgs): Promise<void>;
  loginRemembered(): Promise<void>;
  logout(): Promise<void>;
  setPresence(show: Show, status?: string): Promise<void>;
  applySnapshot(snapshot: SessionSnapshot): void;
  setLink(link: HostLinkState): void;
}

/** Counts applied snapshots, so a slow session.get cannot overwrite a newer session.changed. */
let snapshotsSeen = 0;

const OFFLINE: SessionSnapshot = { state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false };

/** The one session store; reset in tests with setState(getInitialState(), true). */
export const sessionStore = createStore<SessionState>()((set, get) => ({
  snapshot: OFFLINE,
  accountJid: null,
  host: null,
  hasSession: false,
  isReady: false,
  isBusy: false,
  errorText: null,
  errorCode: null,
  loginAttempt: null,
  retryAt: null,
  ownShow: 'available',
  ownStatus: '',
  link: 'open',

  async init() {
    const seenBefore = snapshotsSeen;
    try {
      const [host, snapshot] = await Promise.all([api.invoke('host.info'), api.invoke('session.get')]);
      set({ host });
      // A session.changed that arrived meanwhile is newer than this answer.
      if (snapshotsSeen === seenBefore) get().applySnapshot(snapshot);
    } catch (error) {
      set({ errorText: errorText(toWireError(error)) });
    } finally {
      set({ isReady: true });
    }
  },

  async login(args) {
    await runLogin(() => api.invoke('session.login', args));
  },

  async loginRemembered() {
    await runLogin(() => api.invoke('session.loginRemembered'));
  },

  async logout() {
    set({ isBusy: true });
    try {
      get().applySnapshot(await api.invoke('session.logout'));
    } catch (error) {
      set({ errorText: errorText(toWireError(error)) });
    } finally {
      set({ isBusy: false, hasSession: false });
    }
  },

  async setPresence(show, status) {
    const before = { ownShow: get().ownShow, ownStatus: get().ownStatus };
    set({ ownShow: show, ownStatus: status ?? before.ownStatus });
    try {
      await api.invoke('presence.set', status === undefined ? { show } : { show, status });
    } catch (error) {
      set({ ...before, errorText: errorText(toWireError(error)) });
    }
  },

  applySnapshot(snapshot) {
    snapshotsSeen += 1;
    set((state) => afterSnapshot(state, snapshot));
  },

  setLink(link) {
    set({ link });
  },
}));

/** The fields a new snapshot changes: who we are, whether the main view shows, what went wrong. */
function afterSnapshot(state: SessionState, snapshot: SessionSnapshot): Partial<SessionState> {
  // 'reconnecting' means the host has a session it is restoring (a page loaded then shows it, not the form).
  const hasSession = snapshot.state === 'online' || snapshot.state === 'reconnecting' ? true
    : snapshot.state === 'offline' ? false : state.hasSession;
  return {
    snapshot,
    hasSession,
    isReady: true,
    accountJid: snapshot.jid ?? (hasSession ? state.accountJid : null),
    errorText: snapshot.state === 'online' ? null : (errorText(snapshot.error) ?? state.errorText),
    errorCode: snapshot.state === 'online' ? null : (snapshot.error?.code ?? state.errorCode),
    retryAt: snapshot.state === 'reconnecting' && snapshot.retryInMs !== null ? Date.now() + snapshot.retryInMs : null,
    ownShow: snapshot.state === 'online' && !state.hasSession ? 'available' : state.ownShow,
  };
}

/**
 * Waits before the 2nd and 3rd login attempt after a network failure (cannot-connect, timeout): a server
 * that is restarting or a network coming back gets a few seconds, and the form shows each attempt. A
 * refused password or any other answer from the server is final at once.
 */
export const LOGIN_RETRY_DELAYS_MS = [1000, 3000];
export const RETRIED_CODES: ReadonlySet<string> = new Set(['cannot-connect', 'timeout']);

async function runLogin(call: () => Promise<SessionSnapshot>): Promise<void> {
  const of = LOGIN_RETRY_DELAYS_MS.length + 1;
  sessionStore.setState({ isBusy: true, errorText: null, errorCode: null, loginAttempt: null });
  try {
    for (let attempt = 1; attempt <= of; attempt += 1) {
      const code = await attemptLogin(call);
      if (!code || !RETRIED_CODES.has(code) || attempt === of) return;
      sessionStore.setState({ loginAttempt: { attempt: attempt + 1, of } }); // shown during the wait too
      await new Promise((resolve) => setTimeout(resolve, LOGIN_RETRY_DELAYS_MS[attempt - 1]));
    }
  } finally {
    sessionStore.setState({ isBusy: false, loginAttempt: null });
  }
}

/** One login call; the failure's code, or null when it went through. */
async function attemptLogin(call: () => Promise<SessionSnapshot>): Promise<string | null> {
  try {
    const snapshot = await call();
    sessionStore.getState().applySnapshot(snapshot);
    if (snapshot.state !== 'failed') return null;
    if (!snapshot.error) sessionStore.setState({ errorText: 'Login failed.' });
    return snapshot.error?.code ?? 'failed';
  } catch (error) {
    const wire = toWireError(error);
    sessionStore.setState({ errorText: errorText(wire), errorCode: wire.code });
    return wire.code;
  }
}

/** Reads the session store through a narrow selector. */
export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(sessionStore, selector);
}
