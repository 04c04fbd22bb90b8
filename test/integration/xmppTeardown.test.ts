import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { XmppSession } from '../../electron/xmpp/session';
import { startTestProsody, type LocalProsody } from '../support/prosody';

/**
 * A TCP relay to the server that, once the client has sent its stream close (`</stream:stream>`, RFC 6120
 * §4.4), holds back everything the server sends for holdMs and then delivers it: what a throttled server
 * (ejabberd's 3000 B/s client shaper) does when it reads our close late. The client's side stays readable
 * after the client ends its half, as TCP allows.
 */
async function holdBackRelay(targetPort: number, holdMs: number): Promise<{ port: number; server: Server; heldBytes: () => number }> {
  let held = 0;
  const server = createServer({ allowHalfOpen: true }, (client: Socket) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    let closing = false;
    const pending: Buffer[] = [];
    client.on('data', (data: Buffer) => {
      upstream.write(data);
      if (!closing && data.toString('utf8').includes('</stream:stream>')) {
        closing = true;
        setTimeout(() => {
          held = pending.reduce((n, b) => n + b.length, 0);
          for (const chunk of pending) client.write(chunk);
          client.end();
        }, holdMs);
      }
    });
    upstream.on('data', (data: Buffer) => { if (closing) pending.push(data); else client.write(data); });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server, heldBytes: () => held };
}

describe('XmppSession teardown (RFC 6120 §4.4 closing a stream)', () => {
  let prosody: LocalProsody;
  const servers: Server[] = [];
  beforeAll(async () => { prosody = await startTestProsody({ accounts: [['alice', 'alice-pw']], offerTls: false }); });
  afterEach(() => { for (const s of servers.splice(0)) s.close(); });
  afterAll(async () => { await prosody?.stop(); });

  it('ignores bytes the server sends after the client gave up waiting for its stream close (no TypeError in _onData)', async () => {
    // @xmpp waits 2 s for the server's </stream:stream>, then drops its parser and ends the socket; stopQuietly
    // gives up at 3 s. Bytes arriving in between used to hit parser.write on null: an uncaught TypeError.
    const relay = await holdBackRelay(prosody.ports.c2s, 2400);
    servers.push(relay.server);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => { uncaught.push(error); };
    process.on('uncaughtException', onUncaught);
    try {
      const alice = new XmppSession({ loginTimeoutMs: 10_000 });
      await alice.login({ jid: 'alice@localhost', password: 'alice-pw', service: `xmpp://127.0.0.1:${relay.port}`, resource: 'r', allowPlaintext: true });
      await alice.logout();
      await new Promise((r) => setTimeout(r, 1000)); // the held bytes arrive at 2.4 s, within stop's 3 s
      expect(relay.heldBytes()).toBeGreaterThan(0);
      expect(uncaught.map(String)).toEqual([]);
      await alice.dispose();
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
  });
});
