import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];

describe('Ferry → Ferry over XEP-0096 SI (real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  async function pair(options: { bobAccepts?: boolean } = {}) {
    const alice = await loginPeer(server, 'alice');
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => (options.bobAccepts === false ? 'decline' : 'accept') });
    peers.push(alice, bob);
    return { alice, bob };
  }

  async function sendAndCheck(transport: 's5b-direct' | 's5b-proxy' | 'ibb', extra: { ibbStanza?: 'iq' | 'message'; size?: number } = {}) {
    const { alice, bob } = await pair();
    const file = randomFile(src, `${transport}-${extra.ibbStanza ?? 'x'}.bin`, extra.size ?? 3 * 1024 * 1024 + 17);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport, ibbStanza: extra.ibbStanza });
    const received = await bob.until((t) => t.direction === 'incoming' && (t.state === 'done' || t.state === 'failed'), 30_000, 'bob done');
    expect(received.reason).toBeNull();
    expect(received.state).toBe('done');
    expect(received.transport).toBe(transport);
    expect(received.sha256).toBe(file.sha256);
    expect(sha256Of(received.path!)).toBe(file.sha256);
    const done = await alice.until((t) => t.id === sent.id && t.state === 'done', 30_000, 'alice done');
    expect(done.sha256).toBe(file.sha256);
    expect(done.transport).toBe(transport);
    expect(readdirSync(bob.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    if (extra.ibbStanza) {
      // Both sides log the stanza kind that carried the data: the sender what it sent, the receiver what <open/> announced.
      const kind = expect.stringMatching(new RegExp(`^IBB in <${extra.ibbStanza}/>`));
      expect(done.attempts).toContainEqual(expect.objectContaining({ transport: 'ibb', detail: kind, outcome: 'succeeded' }));
      expect(received.attempts).toContainEqual(expect.objectContaining({ transport: 'ibb', detail: kind, outcome: 'succeeded' }));
    }
  }

  it('sends over a direct SOCKS5 streamhost (XEP-0065 §5)', async () => { await sendAndCheck('s5b-direct'); });
  it('sends through the server\'s proxy65 with activation (XEP-0065 §6)', async () => { await sendAndCheck('s5b-proxy'); });
  it('sends over IBB in <iq/> stanzas (XEP-0047 §2)', async () => { await sendAndCheck('ibb', { ibbStanza: 'iq', size: 256 * 1024 + 3 }); });
  it('sends over IBB in <message/> stanzas (XEP-0047 §4)', async () => { await sendAndCheck('ibb', { ibbStanza: 'message', size: 64 * 1024 + 5 }); });
});
