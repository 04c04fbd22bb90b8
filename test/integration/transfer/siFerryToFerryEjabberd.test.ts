import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { isEjabberdInstalled, startTestEjabberd, type LocalEjabberd } from '../../support/ejabberd';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
type Transport = 's5b-direct' | 's5b-proxy' | 'ibb';

// The second real server (issue 7 item 7): the same Ferry → Ferry SI transfers as siFerryToFerry.test.ts,
// against a private ejabberd 23.01, with its default client shaper (3000 B/s, burst 20000) and without.
// Under the shaper everything the sender writes to its c2s stream is read at 3000 B/s once the 20000-byte burst
// is spent, so the IBB file is small but larger than the burst (24 KiB is ~33 KB of base64: ~5 s of throttling).
const SHAPERS = [
  { name: 'client shaper 3000 B/s (ejabberd.yml default)', shaper: 'default' as const, ibbSize: 24 * 1024 + 3, timeoutMs: 60_000 },
  { name: 'no shaper', shaper: 'none' as const, ibbSize: 256 * 1024 + 3, timeoutMs: 30_000 },
];

describe.runIf(isEjabberdInstalled() || process.env.CI).each(SHAPERS)('Ferry → Ferry over XEP-0096 SI (real ejabberd, $name)', ({ shaper, ibbSize, timeoutMs }) => {
  let server: LocalEjabberd;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestEjabberd({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false, shaper, upload: false });
  }, 60_000);
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); }, 30_000);

  async function sendAndCheck(transport: Transport, extra: { ibbStanza?: 'iq' | 'message'; size?: number } = {}) {
    const alice = await loginPeer(server, 'alice');
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(alice, bob);
    const file = randomFile(src, `${transport}-${extra.ibbStanza ?? 'x'}.bin`, extra.size ?? 3 * 1024 * 1024 + 17);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport, ibbStanza: extra.ibbStanza });
    const received = await bob.until((t) => t.direction === 'incoming' && (t.state === 'done' || t.state === 'failed'), timeoutMs, 'bob done');
    expect(received.reason).toBeNull();
    expect(received.state).toBe('done');
    expect(received.transport).toBe(transport);
    expect(sha256Of(received.path!)).toBe(file.sha256);
    const done = await alice.until((t) => t.id === sent.id && (t.state === 'done' || t.state === 'failed'), timeoutMs, 'alice done');
    expect(done.reason).toBeNull();
    expect(done.state).toBe('done');
    expect(done.transport).toBe(transport);
    expect(readdirSync(bob.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
  }

  it('sends over a direct SOCKS5 streamhost (XEP-0065 §5)', async () => { await sendAndCheck('s5b-direct'); }, timeoutMs + 20_000);
  it('sends through ejabberd\'s proxy65, whose JID carries a resource, with activation (XEP-0065 §6)', async () => {
    const probe = await loginPeer(server, 'alice');
    peers.push(probe);
    const { proxies } = await probe.core.handlers['disco.server']();
    expect(proxies).toEqual([{ jid: expect.stringMatching(/^proxy\.localhost\/.+/u), host: '127.0.0.1', port: server.ports.proxy65 }]);
    await closePeer(peers.pop()!);
    await sendAndCheck('s5b-proxy');
  }, timeoutMs + 20_000);
  it('sends over IBB in <iq/> stanzas (XEP-0047 §2)', async () => { await sendAndCheck('ibb', { ibbStanza: 'iq', size: ibbSize }); }, timeoutMs + 20_000);
  it('sends over IBB in <message/> stanzas (XEP-0047 §3)', async () => { await sendAndCheck('ibb', { ibbStanza: 'message', size: ibbSize }); }, timeoutMs + 20_000);
});
