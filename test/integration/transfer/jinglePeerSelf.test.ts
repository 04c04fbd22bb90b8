import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { isSlixmppInstalled, startJinglePeer, type PeerEvent, type SlixmppPeer } from '../../support/jinglePeer';

// The Jingle interop peer (test/interop/jingle_peer.py) against itself on a private Prosody — alice sends, bob
// receives — so that Ferry ↔ Jingle-peer tests can trust it: S5B direct with the nomination rule, IBB from the
// start, the XEP-0260 §3 fallback (candidate-error on both sides → transport-replace → IBB), a responder that
// replaces S5B itself, a proxy candidate, a ranged transfer, decline, and a wrong hash that must be caught.
const ALICE = 'alice@localhost/peer';
const BOB = 'bob@localhost/peer';
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const named = (peer: SlixmppPeer, event: string): PeerEvent[] => peer.seen.filter((e) => e.event === event);
const jingle = (peer: SlixmppPeer, dir: 'in' | 'out'): string[] => named(peer, 'jingle').filter((e) => e.dir === dir).map((e) => `${e.action as string}${e.info ? `:${e.info as string}` : ''}`);

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled() }))('Jingle interop peer against itself (real Prosody)', () => {
  let server: LocalProsody;
  let dir: string;
  const peers: SlixmppPeer[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ offerTls: false, accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']] });
    dir = mkdtempSync(join(tmpdir(), 'ferry-jingle-peer-'));
  });
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.stop()));
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const peer = (jid: string, password: string, args: string[], timeoutS = 45): SlixmppPeer => {
    const started = startJinglePeer({ jid, password, port: server.ports.c2s, args, timeoutS });
    peers.push(started);
    return started;
  };

  /** A random file sent by alice to a fresh bob; resolves when both have exited. */
  async function transfer(size: number, sendArgs: string[], receiveArgs: string[] = []) {
    const data = randomBytes(size);
    const source = join(mkdtempSync(join(dir, 'tx-')), `file-${size}.bin`);
    writeFileSync(source, data);
    const rx = mkdtempSync(join(dir, 'rx-'));
    const bob = peer(BOB, 'bob-pw', ['receive', '--dir', rx, ...receiveArgs]);
    await bob.waitFor('ready', 20_000);
    const alice = peer(ALICE, 'alice-pw', ['send', '--to', BOB, '--file', source, ...sendArgs]);
    const [bobCode, aliceCode] = await Promise.all([bob.exitCode, alice.exitCode]);
    const context = `bob: ${JSON.stringify(bob.seen.filter((e) => e.event !== 'progress'))}\nalice: ${JSON.stringify(alice.seen.filter((e) => e.event !== 'progress'))}\n${bob.stderr().slice(-3000)}${alice.stderr().slice(-3000)}`;
    return { bob, alice, bobCode, aliceCode, data, hash: sha256(data), rx, context };
  }

  /** Both exit 0, bob's file is on disk with the sender's sha-256, verified against the announced hash. */
  async function expectDelivered(size: number, transport: string, sendArgs: string[], receiveArgs: string[] = []) {
    const t = await transfer(size, sendArgs, receiveArgs);
    expect([t.bobCode, t.aliceCode], t.context).toEqual([0, 0]);
    const received = await t.bob.waitFor('done', 1000);
    const sent = await t.alice.waitFor('done', 1000);
    expect(received, t.context).toMatchObject({ size, bytes: size, sha256: t.hash, hash: 'verified', hash_algo: 'sha-256', transport, from: ALICE, ended_by: 'responder', reason: 'success' });
    expect(sent, t.context).toMatchObject({ size, sha256: t.hash, transport, ended_by: 'responder', reason: 'success' });
    expect(sha256(readFileSync(received.path as string))).toBe(t.hash);
    expect(readdirSync(t.rx)).toEqual([`file-${size}.bin`]);
    expect(jingle(t.alice, 'out')[0]).toMatch(/^session-initiate:/);
    expect(jingle(t.bob, 'out')).toContain('session-terminate:success');
    expect(jingle(t.alice, 'in')).toContain('session-terminate:success');
    expect(named(t.bob, 'progress').at(-1)).toMatchObject({ bytes: size, size });
    return t;
  }

  it('disco#info advertises Jingle FT :5, S5B, IBB, hashes:2 and sha-256 — and not SI', async () => {
    const bob = peer(BOB, 'bob-pw', ['receive', '--dir', mkdtempSync(join(dir, 'rx-'))], 20);
    await bob.waitFor('ready', 20_000);
    const alice = peer(ALICE, 'alice-pw', ['disco', '--to', BOB], 20);
    expect(await alice.exitCode, alice.stderr()).toBe(0);
    const { features } = await alice.waitFor('disco', 1000);
    expect(features).toEqual(expect.arrayContaining(['urn:xmpp:jingle:1', 'urn:xmpp:jingle:apps:file-transfer:5', 'urn:xmpp:jingle:transports:s5b:1',
      'urn:xmpp:jingle:transports:ibb:1', 'urn:xmpp:hashes:2', 'urn:xmpp:hash-function-text-names:sha-256']));
    expect(features).not.toContain('http://jabber.org/protocol/si');
    await bob.stop();
  });

  it('XEP-0260 S5B direct: both connect, both send candidate-used, equal priorities → the initiator\'s choice (§2.4 rule 4)', async () => {
    const { alice, bob } = await expectDelivered(3 * 1024 * 1024 + 17, 's5b-direct', []);
    const [a, b] = [await alice.waitFor('nominated', 1000), await bob.waitFor('nominated', 1000)];
    expect(a).toMatchObject({ rule: 'initiator-choice', owner: 'peer' });
    expect(b).toMatchObject({ rule: 'initiator-choice', owner: 'self', cid: a.cid });
    expect(jingle(alice, 'out')).toContain(`transport-info:candidate-used:${a.cid as string}`);
    expect(named(alice, 'transport-replace')).toEqual([]);
    expect((await bob.waitFor('offer', 1000)).hash).toMatchObject({ algo: 'sha-256' });
  });

  it('XEP-0260 priorities: an unreachable higher-priority candidate is tried first, then the live one', async () => {
    const { bob } = await expectDelivered(256 * 1024, 's5b-direct', ['--dead-candidate'], ['--no-candidates']);
    const tried = named(bob, 'candidate').map((c) => [c.priority, String(c.result).split(':')[0]]);
    expect(tried).toEqual([[(126 << 16) + 65535, 'failed'], [(126 << 16) + 32768, 'connected']]);
  });

  it('XEP-0261 IBB from the start, hash-used in the offer and the checksum in session-info afterwards', async () => {
    const { alice, bob } = await expectDelivered(300 * 1024 + 3, 'ibb', ['--transport', 'ibb', '--block-size', '8192', '--hash-after']);
    expect(await alice.waitFor('offer', 1000)).toMatchObject({ hash: null, hash_used: 'sha-256', transport: 'ibb' });
    expect(await bob.waitFor('ibb', 1000)).toMatchObject({ state: 'open', block_size: 8192, stanza: 'iq' });
    expect(jingle(bob, 'in')).toContain('session-info:checksum');
    expect(named(bob, 'candidate-reports')).toEqual([]);
  });

  it('XEP-0260 §3 fallback: no candidates on either side → candidate-error both ways → the initiator\'s transport-replace → IBB', async () => {
    const { alice, bob } = await expectDelivered(256 * 1024 + 1, 'ibb', ['--no-candidates'], ['--no-candidates']);
    for (const side of [alice, bob]) expect(await side.waitFor('candidate-reports', 1000)).toMatchObject({ local: 'error', remote: 'error' });
    expect(jingle(alice, 'out')).toEqual(expect.arrayContaining(['transport-info:candidate-error', 'transport-replace:ibb']));
    expect(named(alice, 'transport-replace').map((e) => [e.by, e.result])).toEqual([['initiator', 'sent'], ['initiator', 'accepted']]);
    expect(jingle(bob, 'out')).toContain('transport-accept:ibb');
  });

  it('a responder that prefers IBB sends transport-replace itself; the initiator accepts it', async () => {
    const { alice } = await expectDelivered(128 * 1024 + 5, 'ibb', [], ['--transport', 'ibb']);
    expect(named(alice, 'transport-replace')).toEqual([expect.objectContaining({ by: 'responder', to: 'ibb', result: 'accepted' })]);
    expect(jingle(alice, 'out')).toContain('transport-accept:ibb');
  });

  it('XEP-0260 §2.4 proxy candidate: the owner activates it on proxy65 and sends <activated/>', async () => {
    const { alice, bob } = await expectDelivered(1024 * 1024 + 9, 's5b-proxy', ['--no-candidates', '--proxy'], ['--no-candidates']);
    expect(await bob.waitFor('nominated', 1000)).toMatchObject({ type: 'proxy', owner: 'peer' });
    expect(jingle(alice, 'out').some((a) => a.startsWith('transport-info:activated:'))).toBe(true);
  });

  it('XEP-0234 ranged transfer: <range offset/> in session-accept, the tail arrives, checked against the range checksum', async () => {
    const offset = 100_000;
    const t = await transfer(300 * 1024, [], ['--range-offset', String(offset)]);
    expect([t.bobCode, t.aliceCode], t.context).toEqual([0, 0]);
    const received = await t.bob.waitFor('done', 1000);
    const tail = sha256(t.data.subarray(offset));
    expect(received).toMatchObject({ offset, bytes: t.data.length - offset, sha256: tail, hash: 'verified' });
    expect(sha256(readFileSync(received.path as string))).toBe(tail);
    expect(await t.alice.waitFor('accepted', 1000)).toMatchObject({ range: { offset, length: t.data.length - offset } });
  });

  it('decline: the responder acks, then session-terminate <decline/>; both exit 5 and nothing is written', async () => {
    const t = await transfer(64 * 1024, [], ['--decline']);
    expect([t.bobCode, t.aliceCode], t.context).toEqual([5, 5]);
    expect(await t.alice.waitFor('declined', 1000)).toMatchObject({ ended_by: 'responder', reason: 'decline' });
    expect(jingle(t.alice, 'out')).toEqual(['session-initiate:s5b']);
    expect(jingle(t.alice, 'in')).toEqual(['session-terminate:decline']);
    expect(readdirSync(t.rx)).toEqual([]);
  });

  it.each([['in the offer', []], ['in the checksum session-info', ['--hash-after']]])('a wrong sha-256 %s is caught: media-error, exit 1, the file is deleted', async (_where, extra) => {
    const t = await transfer(200 * 1024, ['--corrupt-hash', ...extra]);
    expect([t.bobCode, t.aliceCode], t.context).toEqual([1, 1]);
    expect(await t.bob.waitFor('failed', 1000)).toMatchObject({ hash: 'mismatch', sha256: t.hash, bytes: 200 * 1024, reason: 'media-error', ended_by: 'responder' });
    expect(await t.alice.waitFor('failed', 1000)).toMatchObject({ reason: 'media-error', ended_by: 'responder' });
    expect(readdirSync(t.rx)).toEqual([]);
  });
});
