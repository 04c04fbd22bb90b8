import type { ConnectionState, SessionSnapshot } from '../../shared/model/session';
import type { XmppSession } from '../../electron/xmpp/session';

/** Polls until check() returns a value other than undefined/false; throws after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Records every snapshot a session emits, for asserting state sequences. */
export function recordStates(session: XmppSession): SessionSnapshot[] {
  const seen: SessionSnapshot[] = [];
  session.onStateChanged((s) => seen.push(s));
  return seen;
}

/** Waits until the session reaches state (bounded). */
export async function waitForState(session: XmppSession, state: ConnectionState, timeoutMs = 10_000): Promise<SessionSnapshot> {
  return await waitFor(() => (session.snapshot.state === state ? session.snapshot : undefined), timeoutMs, `state ${state}`);
}
