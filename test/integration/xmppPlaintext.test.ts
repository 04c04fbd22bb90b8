import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { client } from '@xmpp/client';
import { FerryError } from '../../shared/ipc/wireError';
import { XmppSession } from '../../electron/xmpp/session';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { recordStates } from '../support/xmppWaits';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';

const countAuthenticated = (dir: string) => readFileSync(join(dir, 'prosody.log'), 'utf8').split('\n').filter((line) => line.includes('Authenticated as')).length;

describe('XmppSession against a Prosody that offers no TLS', () => {
  let server: LocalProsody;
  const sessions: XmppSession[] = [];
  const session = () => {
    const s = new XmppSession({ loginTimeoutMs: 10_000, backoff: { initialMs: 100 } });
    sessions.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw']], offerTls: false, requireEncryption: false });
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()));
  });
  afterAll(async () => { await server?.stop(); });

  it('the server really offers no STARTTLS (precondition of the other tests)', async () => {
    const raw = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: 'alice', password: 'alice-pw' });
    countInboundFromEnabled(raw as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    raw.reconnect.stop();
    raw.on('error', () => {});
    const features = new Promise<string[]>((resolve) => {
      raw.on('nonza', (el) => {
        if (el.name === 'stream:features' || el.is('features', 'http://etherx.jabber.org/streams')) {
          resolve(el.getChildElements().map((c) => `${c.name} ${String(c.attrs.xmlns)}`));
        }
      });
    });
    await raw.start();
    await raw.stop();
    const first = await features;
    expect(first.some((f) => f.startsWith('starttls'))).toBe(false);
  });

  it('logs in without TLS only when allowPlaintext is set and the service is loopback', async () => {
    const alice = session();
    const snapshot = await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, allowPlaintext: true });
    expect(snapshot).toMatchObject({ state: 'online', isSecure: false });
  });

  it('refuses with tls-required before SASL when plaintext is not allowed (RFC 6120 §5.3.1), without retrying', async () => {
    const alice = session();
    const states = recordStates(alice);
    const authenticatedBefore = countAuthenticated(server.dir);
    const error = await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe('tls-required');
    await new Promise((r) => setTimeout(r, 400));
    expect(states.map((s) => s.state)).toEqual(['connecting', 'failed']);
    // The password was right, so had SASL run Prosody would have logged one more "Authenticated as".
    expect(countAuthenticated(server.dir)).toBe(authenticatedBefore);
  });

  it('treats a service named localhost as loopback too', async () => {
    const alice = session();
    const service = server.service.replace('127.0.0.1', 'localhost');
    const snapshot = await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service, allowPlaintext: true });
    expect(snapshot.isSecure).toBe(false);
  });
});
