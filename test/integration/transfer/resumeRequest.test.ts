import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { AcceptDecision } from '../../../electron/transfer/transferService';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { buildFileRequest } from '../../../electron/xmpp/xep/xep0234FileRequest';
import { NS_JINGLE_FT_ERRORS } from '../../../electron/xmpp/xep/xep0234JingleFt';
import { hexToBase64 } from '../../../electron/xmpp/xep/xep0300Hashes';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import { storedPeers } from './storedPeers';
import { randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

// Issue #10: Resume of an interrupted peer-to-peer file asks its sender for it again (XEP-0234 §6.2 "Requesting a
// File", with a §7 range from the kept part). A Ferry sender answers by offering the file anew (a push of its own,
// XEP-0166 §7.4 alternative-session), the receiver takes that offer without asking and continues the .part.
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined', 'interrupted'].includes(t.state);
/** Large enough that IBB on loopback is still moving it when the test stops a core; ≤ 64 MiB, so the offer carries its hash. */
const SIZE = 32 * 1024 * 1024 + 5;
type Method = 'si' | 'jingle';

describe('Resume asks the sender again (XEP-0234 §6.2 requests, §7 ranges, §9.1 file not available; real Prosody)', () => {
  let server: LocalProsody;
  const raws: Client[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({
      accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw']], friends: [['alice', 'bob'], ['alice', 'carol']], offerTls: false,
    });
  });
  afterEach(async () => {
    await stored.cleanup();
    await Promise.all(raws.splice(0).map((raw) => raw.stop().catch(() => undefined)));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const stored = storedPeers({ prefix: 'resume', server: () => server });
  const { folder, login, listed } = stored;

  /** Waits (bounded) until `peer` sees an online resource of `contact`. */
  async function seesOnline(peer: Peer, contact: string): Promise<void> {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const roster = await peer.core.handlers['roster.get']();
      if (roster.some((c) => c.jid === contact && c.resources.length > 0)) return;
    }
    throw new Error(`${peer.jid} never saw ${contact} online`);
  }

  /** Alice sends a big file to bob over IBB; bob is shut down mid-transfer and comes back with it interrupted. */
  async function interruptedAtBob(method: Method, name: string, bobAccept?: AcceptDecision) {
    const aliceDirs = { data: folder('a-data'), download: folder('a-dl') };
    const bobDirs = { data: folder('b-data'), download: folder('b-dl') };
    const alice = await login('alice', aliceDirs);
    const bob = await login('bob', bobDirs, 'accept');
    const file = randomFile(src, name, SIZE);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method, transport: 'ibb' });
    const incoming = await bob.until((t) => t.direction === 'incoming' && t.state === 'transferring' && t.bytes >= 512 * 1024, 30_000, 'bytes flowing');
    await bob.core.dispose();
    await alice.until((t) => t.id === sent!.id && ended(t), 40_000, 'alice ends the broken transfer');
    const bob2 = await login('bob', bobDirs, bobAccept);
    await listed(bob2, (list) => list.some((t) => t.id === incoming.id && t.state === 'interrupted'), 'bob lists it interrupted');
    await seesOnline(bob2, 'alice@localhost');
    return { alice, aliceDirs, bob2, bobDirs, file, incoming };
  }

  it.each<Method>(['si', 'jingle'])('Resume of a file interrupted over %s: alice\'s Ferry offers it again by itself, bob\'s takes it without asking and continues the kept part (XEP-0234 §6.2, §7)', async (method) => {
    const name = `asked-${method}.bin`;
    const { alice, bob2, file, incoming } = await interruptedAtBob(method, name);
    const asking = bob2.core.handlers['transfer.resume']({ id: incoming.id });
    // A second Resume while the first asks would bring a second offer of the same file: refused.
    await expect(bob2.core.handlers['transfer.resume']({ id: incoming.id })).rejects.toThrow(`Ferry is already asking alice@localhost for ${name}.`);
    const resumed = await asking;
    expect(resumed.note, JSON.stringify(resumed)).toBeNull();
    expect(resumed.transfer).toMatchObject({ direction: 'incoming', peer: 'alice@localhost/ferry', method: 'jingle' });
    const newId = resumed.transfer!.id;
    const received = await bob2.until((t) => t.id === newId && ended(t), 60_000, 'bob receives it again');
    expect([received.state, received.hash, received.sha256], JSON.stringify(received.attempts)).toEqual(['done', 'verified', file.sha256]);
    expect(received.resumedFrom).toBeGreaterThan(0);
    expect(sha256Of(received.path!)).toBe(file.sha256);
    expect(received.attempts.map((a) => a.detail)).toContain('asked alice@localhost for it again (Resume): accepted without asking');
    // The sender tells the same story: a new transfer, started because bob asked, continuing from bob's bytes.
    const again = await alice.until((t) => t.direction === 'outgoing' && t.attempts.some((a) => a.detail.startsWith('bob@localhost asked for it again')) && ended(t), 30_000, 'alice ends the new offer');
    expect([again.state, again.resumedFrom]).toEqual(['done', received.resumedFrom]);
    expect(again.attempts.map((a) => a.detail)).toContain(`bob@localhost asked for it again (from byte ${received.resumedFrom})`);
    // The interrupted card is gone; only the transfer that continued its .part is listed.
    expect((await bob2.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([newId]);
  }, 150_000);

  it('Resume when the sender no longer knows the file (a fresh Ferry): it answers file-not-available, nothing is offered, Resume says so', async () => {
    const name = 'forgotten.bin';
    const { alice, bob2, incoming } = await interruptedAtBob('jingle', name);
    await alice.core.dispose();
    const alice2 = await login('alice', { data: folder('a2-data'), download: folder('a2-dl') });
    await seesOnline(bob2, 'alice@localhost');
    const resumed = await bob2.core.handlers['transfer.resume']({ id: incoming.id });
    expect(resumed.transfer).toBeNull();
    expect(resumed.note).toMatch(new RegExp(`^alice@localhost's client cannot be asked for ${name} \\(it ended the request \\(failed-application: no such file was offered to you\\)\\): ask alice@localhost to send it again; Ferry will continue from the \\d+ bytes it kept\\.$`));
    expect(await alice2.core.handlers['transfer.list']()).toEqual([]);
    expect((await bob2.core.handlers['transfer.list']()).find((t) => t.id === incoming.id)?.state).toBe('interrupted');
  }, 150_000);

  it('a request for a file Ferry sent to someone else gets file-not-available, and Ferry sends nothing (XEP-0234 §9.1)', async () => {
    const alice = await login('alice', { data: folder('a-data'), download: folder('a-dl') });
    const bob = await login('bob', { data: folder('b-data'), download: folder('b-dl') }, 'accept');
    const file = randomFile(src, 'for-bob.bin', 100_000);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method: 'jingle' });
    await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice sends to bob');
    const carol = await rawClient('carol');
    const terminated = nextTerminate(carol);
    const request = buildFileRequest({
      sid: 'carol-req', initiator: carol.jid!.toString(),
      selector: { name: 'for-bob.bin', size: 100_000, hashes: [{ algo: 'sha-256', base64: hexToBase64(file.sha256) }], offset: 0 },
      ibb: { sid: 'carol-ibb', blockSize: 4096 },
    });
    await carol.iqCaller.request(xml('iq', { type: 'set', to: 'alice@localhost/ferry' }, request), 10_000);
    const reason = (await terminated).getChild('reason')!;
    expect(reason.getChild('failed-application')).toBeTruthy();
    expect(reason.getChild('file-not-available', NS_JINGLE_FT_ERRORS)).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await alice.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([sent!.id]);
  }, 90_000);

  it('asked for a file whose new offer still runs, Ferry names that session (alternative-session) and offers nothing more (XEP-0166 §7.4)', async () => {
    const alice = await login('alice', { data: folder('a-data'), download: folder('a-dl') });
    const carol = await rawClient('carol');
    const received: Element[] = [];
    carol.iqCallee.set('urn:xmpp:jingle:1', 'jingle', ({ stanza }: { stanza: Element }) => {
      received.push(stanza.getChild('jingle', 'urn:xmpp:jingle:1')!);
      return true; // acknowledged, never accepted: alice's offer stays pending
    });
    const file = randomFile(src, 'for-carol.bin', 100_000);
    const [sent] = await alice.core.handlers['transfer.send']({ to: carol.jid!.toString(), paths: [file.path], method: 'jingle' });
    const offer = await waitFor(() => received.find((j) => j.attrs.action === 'session-initiate'), 10_000, 'alice offers the file to carol');
    const request = buildFileRequest({
      sid: 'carol-req2', initiator: carol.jid!.toString(),
      selector: { name: 'for-carol.bin', size: 100_000, hashes: [{ algo: 'sha-256', base64: hexToBase64(file.sha256) }], offset: 0 },
      ibb: { sid: 'carol-ibb2', blockSize: 4096 },
    });
    await carol.iqCaller.request(xml('iq', { type: 'set', to: 'alice@localhost/ferry' }, request), 10_000);
    const terminate = await waitFor(() => received.find((j) => j.attrs.action === 'session-terminate' && j.attrs.sid === 'carol-req2'), 10_000, 'alice ends the request');
    expect(terminate.getChild('reason')?.getChild('alternative-session')?.getChildText('sid')).toBe(offer.attrs.sid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.filter((j) => j.attrs.action === 'session-initiate')).toHaveLength(1);
    expect((await alice.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([sent!.id]);
  }, 60_000);

  async function rawClient(user: string): Promise<Client> {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: user, password: `${user}-pw`, resource: `raw-${randomBytes(4).toString('hex')}` });
    xmpp.reconnect.stop();
    xmpp.on('error', () => undefined);
    countInboundFromEnabled(xmpp as unknown as CountingClient);
    await xmpp.start();
    await xmpp.send(xml('presence'));
    raws.push(xmpp);
    return xmpp;
  }

  /** The next session-terminate the raw client gets (acknowledged), bounded. */
  function nextTerminate(xmpp: Client): Promise<Element> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no session-terminate within 10 s')), 10_000);
      xmpp.iqCallee.set('urn:xmpp:jingle:1', 'jingle', ({ stanza }: { stanza: Element }) => {
        const jingle = stanza.getChild('jingle', 'urn:xmpp:jingle:1');
        if (jingle?.attrs.action === 'session-terminate') { clearTimeout(timer); resolve(jingle); }
        return true;
      });
    });
  }
});
