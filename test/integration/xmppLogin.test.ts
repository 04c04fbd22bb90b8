import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FerryError } from '../../shared/ipc/wireError';
import { XmppSession } from '../../electron/xmpp/session';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { recordStates, waitForState } from '../support/xmppWaits';

describe('XmppSession login and reconnect against a TLS Prosody', () => {
  let server: LocalProsody;
  const sessions: XmppSession[] = [];
  const session = (options: ConstructorParameters<typeof XmppSession>[0] = {}) => {
    const s = new XmppSession({ loginTimeoutMs: 10_000, ...options });
    sessions.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw']], requireEncryption: true });
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()));
  });
  afterAll(async () => { await server?.stop(); });

  it('logs in over STARTTLS (RFC 6120 §5) and reports isSecure', async () => {
    const alice = session();
    const snapshot = await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, resource: 'desk' });
    expect(snapshot).toMatchObject({ state: 'online', jid: 'alice@localhost/desk', isSecure: true, error: null });
  });

  it('logs in over direct TLS on xmpps:// (XEP-0368)', async () => {
    const alice = session();
    const snapshot = await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.directTlsService });
    expect(snapshot.state).toBe('online');
    expect(snapshot.isSecure).toBe(true);
    expect(snapshot.jid).toMatch(/^alice@localhost\/ferry-[0-9a-f]{8}$/u);
  });

  it('rejects a bad password with not-authorized at once and does not retry', async () => {
    const alice = session({ backoff: { initialMs: 100 } });
    const states = recordStates(alice);
    const started = Date.now();
    const error = await alice.login({ jid: 'alice@localhost', password: 'wrong', service: server.service }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe('not-authorized');
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 600)); // several backoff periods: nothing may happen
    expect(states.map((s) => s.state)).toEqual(['connecting', 'failed']);
    expect(alice.snapshot.error?.code).toBe('not-authorized');
  });

  it('reconnects with backoff after the server restarts: reconnecting, then online again', async () => {
    const alice = session({ backoff: { initialMs: 300, jitterRatio: 0 } });
    await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, resource: 'r' });
    const states = recordStates(alice);
    await server.restart(1000);
    const back = await waitForState(alice, 'online', 20_000);
    expect(back).toMatchObject({ jid: 'alice@localhost/r', isSecure: true, error: null });
    const reconnecting = states.filter((s) => s.state === 'reconnecting');
    expect(reconnecting.length).toBeGreaterThan(0);
    expect(reconnecting[0].retryInMs).toBe(300);
    expect(reconnecting[0].error?.code).toBe('cannot-connect');
  });
});
