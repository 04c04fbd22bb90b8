import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import { closePeer, loginPeer, randomFile, scratchDir, type Peer } from './transferPair';
import { startBlackHole, type ScriptedServer } from '../../fakes/fakeSocks5Peer';
import type { TransferSummary } from '../../../shared/model/transfer';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';

// Ferry against a small raw @xmpp/client peer (carol@localhost/raw) that speaks XEP-0095/0096 and XEP-0047 by
// hand, so that it can do what a well-behaved Ferry never does: lie about the md5, ask for a range, send
// hostile file names.
const NS_SI = 'http://jabber.org/protocol/si';
const NS_FT = 'http://jabber.org/protocol/si/profile/file-transfer';
const NS_FNEG = 'http://jabber.org/protocol/feature-neg';
const NS_X = 'jabber:x:data';
const NS_IBB = 'http://jabber.org/protocol/ibb';
const NS_BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** What the raw peer saw of an incoming SI + IBB transfer. */
/** The one child of an incoming IQ (the iqCallee middleware checked there is exactly one). */
const payloadOf = (ctx: { stanza: Element }): Element => ctx.stanza.getChildElements()[0];

interface RawInbox {
  offers: Element[];
  opens: Element[];
  blocks: Map<string, Buffer[]>;
  closed: Set<string>;
}

describe('SI with a raw @xmpp/client peer (real Prosody)', () => {
  let server: LocalProsody;
  const ferries: Peer[] = [];
  const raws: Client[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['carol', 'carol-pw']], offerTls: false });
  });
  afterEach(async () => {
    await Promise.all(raws.splice(0).map((raw) => raw.stop().catch(() => undefined)));
    await Promise.all(ferries.splice(0).map(closePeer));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  async function ferry(): Promise<Peer> {
    const peer = await loginPeer(server, 'alice', { acceptPolicy: () => 'accept', discoverProxies: false });
    ferries.push(peer);
    return peer;
  }

  /**
   * carol@localhost/raw, online. As a receiver it answers SI offers with `accept` (ibb, plus an optional
   * range) and takes IBB open/data/close in <iq/>.
   */
  async function rawPeer(accept: { range?: { offset: number } } = {}): Promise<{ xmpp: Client; jid: string; inbox: RawInbox }> {
    // A fresh resource each time: a reused full JID would get the previous session's unavailable presence.
    const resource = `raw-${randomBytes(4).toString('hex')}`;
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: 'carol', password: 'carol-pw', resource });
    countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    xmpp.reconnect.stop();
    xmpp.on('error', () => undefined);
    raws.push(xmpp);
    const inbox: RawInbox = { offers: [], opens: [], blocks: new Map(), closed: new Set() };
    xmpp.iqCallee.set(NS_SI, 'si', (ctx) => {
      inbox.offers.push(payloadOf(ctx));
      const range = accept.range ? [xml('file', { xmlns: NS_FT }, xml('range', { offset: String(accept.range.offset) }))] : [];
      const value = xml('value', {}, NS_IBB);
      const form = xml('x', { xmlns: NS_X, type: 'submit' }, xml('field', { var: 'stream-method' }, value));
      return xml('si', { xmlns: NS_SI }, ...range, xml('feature', { xmlns: NS_FNEG }, form));
    });
    xmpp.iqCallee.set(NS_IBB, 'open', (ctx) => {
      inbox.opens.push(payloadOf(ctx));
      inbox.blocks.set(String(payloadOf(ctx).attrs.sid), []);
      return true;
    });
    xmpp.iqCallee.set(NS_IBB, 'data', (ctx) => {
      const blocks = inbox.blocks.get(String(payloadOf(ctx).attrs.sid));
      if (!blocks || Number(payloadOf(ctx).attrs.seq) !== blocks.length) return xml('error', { type: 'cancel' }, xml('unexpected-request', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }));
      blocks.push(Buffer.from(payloadOf(ctx).text(), 'base64'));
      return true;
    });
    xmpp.iqCallee.set(NS_IBB, 'close', (ctx) => {
      inbox.closed.add(String(payloadOf(ctx).attrs.sid));
      return true;
    });
    await xmpp.start();
    await xmpp.send(xml('presence'));
    return { xmpp, jid: `carol@localhost/${resource}`, inbox };
  }

  /** carol offers `data` as `name` over one stream method (IBB unless told), with `hash` as the md5 (XEP-0096 §2); resolves once accepted. */
  async function offerFile(xmpp: Client, to: string, name: string, data: Buffer, hash: string, options: { mimeType?: string; method?: string } = {}): Promise<string> {
    const { mimeType = 'application/octet-stream', method = NS_IBB } = options;
    const sid = `raw-${randomBytes(6).toString('hex')}`;
    const option = xml('option', {}, xml('value', {}, method));
    const form = xml('x', { xmlns: NS_X, type: 'form' }, xml('field', { var: 'stream-method', type: 'list-single' }, option));
    const file = xml('file', { xmlns: NS_FT, name, size: String(data.length), hash });
    const si = xml('si', { xmlns: NS_SI, id: sid, profile: NS_FT, 'mime-type': mimeType }, file, xml('feature', { xmlns: NS_FNEG }, form));
    await xmpp.iqCaller.request(xml('iq', { type: 'set', to }, si), 10_000);
    return sid;
  }

  /** XEP-0047 §2 in <iq/>, stop-and-wait: open, every block, close. */
  async function sendIbb(xmpp: Client, to: string, sid: string, data: Buffer, blockSize = 4096): Promise<void> {
    await xmpp.iqCaller.request(xml('iq', { type: 'set', to }, xml('open', { xmlns: NS_IBB, sid, 'block-size': String(blockSize), stanza: 'iq' })), 10_000);
    for (let seq = 0, at = 0; at < data.length; seq += 1, at += blockSize) {
      const block = data.subarray(at, at + blockSize).toString('base64');
      await xmpp.iqCaller.request(xml('iq', { type: 'set', to }, xml('data', { xmlns: NS_IBB, sid, seq: String(seq) }, block)), 10_000);
    }
    await xmpp.iqCaller.request(xml('iq', { type: 'set', to }, xml('close', { xmlns: NS_IBB, sid })), 10_000).catch(() => undefined);
  }

  it('XEP-0096 §2 hash: a file whose md5 differs from the offered hash fails as damaged, and nothing stays on disk', async () => {
    const alice = await ferry();
    const { xmpp } = await rawPeer();
    const data = randomBytes(40_000 + 123);
    const wrong = md5(Buffer.concat([data, Buffer.from('x')]));
    const sid = await offerFile(xmpp, alice.jid, 'damaged.bin', data, wrong);
    await sendIbb(xmpp, alice.jid, sid, data);
    const got = await alice.until((t) => t.direction === 'incoming' && ended(t), 20_000, 'alice ends');
    expect(got.file).toMatchObject({ name: 'damaged.bin', size: data.length, md5: wrong });
    expect(got.bytes).toBe(data.length);
    expect(got.state).toBe('failed');
    expect(got.reason).toMatch(/damaged/);
    expect(got.reason).toContain(md5(data));
    expect(got.path).toBeNull();
    expect(readdirSync(alice.dir)).toEqual([]);
  });

  it('XEP-0096 §2 hash: the same offer with the right md5 is delivered (control for the test above)', async () => {
    const alice = await ferry();
    const { xmpp } = await rawPeer();
    const data = randomBytes(40_000 + 123);
    const sid = await offerFile(xmpp, alice.jid, 'intact.bin', data, md5(data).toUpperCase());
    await sendIbb(xmpp, alice.jid, sid, data);
    const got = await alice.until((t) => t.direction === 'incoming' && ended(t), 20_000, 'alice ends');
    expect([got.state, got.reason, got.transport]).toEqual(['done', null, 'ibb']);
    expect(readFileSync(got.path!).equals(data)).toBe(true);
    expect(readdirSync(alice.dir)).toEqual(['intact.bin']);
  });

  it('XEP-0095 §4 mime-type is the sender\'s claim: the type shown follows the extension of the saved name', async () => {
    const alice = await ferry();
    const { xmpp } = await rawPeer();
    const data = randomBytes(1000);
    const sid = await offerFile(xmpp, alice.jid, 'Invoice\u202Efdp.exe', data, md5(data), { mimeType: 'application/pdf' });
    await sendIbb(xmpp, alice.jid, sid, data);
    const got = await alice.until((t) => t.direction === 'incoming' && ended(t), 20_000, 'alice ends');
    expect([got.state, got.file.mediaType]).toEqual(['done', 'application/octet-stream']);
    expect(readdirSync(alice.dir)).toEqual(['Invoicefdp.exe']);
    const sid2 = await offerFile(xmpp, alice.jid, 'report.pdf', data, md5(data), { mimeType: 'text/html' });
    await sendIbb(xmpp, alice.jid, sid2, data);
    const second = await alice.until((t) => t.direction === 'incoming' && t.file.name === 'report.pdf' && ended(t), 20_000, 'alice ends 2');
    expect([second.state, second.file.mediaType]).toEqual(['done', 'application/pdf']);
  });

  it('XEP-0096 §3 range: an accept with <range offset=N/> gets exactly the bytes from N, over IBB', async () => {
    const alice = await ferry();
    const offset = 100_000 + 7;
    const { inbox, jid } = await rawPeer({ range: { offset } });
    const file = randomFile(src, 'ranged.bin', 256 * 1024 + 99);
    const whole = readFileSync(file.path);
    const [started] = await alice.core.handlers['transfer.send']({ method: 'si', to: jid, paths: [file.path], transport: 'ibb' });
    const sent = await alice.until((t) => t.id === started.id && ended(t), 20_000, 'alice ends');
    expect([sent.state, sent.reason, sent.transport], JSON.stringify(sent.attempts)).toEqual(['done', null, 'ibb']);
    // The offer said the sender can do ranged transfers (§3: an empty <range/> in the offer).
    expect(inbox.offers[0].getChild('file', NS_FT)?.getChild('range', NS_FT)).toBeDefined();
    const sid = String(inbox.offers[0].attrs.id);
    await waitFor(() => inbox.closed.has(sid), 5000, 'IBB close');
    const got = Buffer.concat(inbox.blocks.get(sid) ?? []);
    expect(got.length).toBe(whole.length - offset);
    expect(sha256(got)).toBe(sha256(whole.subarray(offset)));
    expect(sent.sha256).toBe(sha256(whole.subarray(offset)));
    expect(sent.bytes).toBe(whole.length);
  });

  const escape = `ferry-escape-${randomBytes(4).toString('hex')}.bin`;
  it.each([
    ['../../etc/passwd', 'passwd'],
    [`../${escape}`, escape],
    [`..\\..\\${escape}`, escape],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['..', 'file'],
  ])('DESIGN.md "Where files go": the offered name %j lands inside the download folder as %j', async (offered, expected) => {
    const alice = await ferry();
    const { xmpp } = await rawPeer();
    const data = randomBytes(5000);
    const sid = await offerFile(xmpp, alice.jid, offered, data, md5(data));
    await sendIbb(xmpp, alice.jid, sid, data);
    const got = await alice.until((t) => t.direction === 'incoming' && ended(t), 20_000, 'alice ends');
    expect(got.file.name).toBe(offered);
    expect([got.state, got.reason]).toEqual(['done', null]);
    expect(got.path).toBe(join(alice.dir, expected));
    expect(readdirSync(alice.dir)).toEqual([expected]);
    expect(readFileSync(got.path!).equals(data)).toBe(true);
    expect(existsSync(join(tmpdir(), escape))).toBe(false);
  });

  it('XEP-0065 §5.3.1: tries at most 16 of 20 offered streamhosts, logs the rest, and closes every attempt when the transfer ends', async () => {
    const holes: ScriptedServer[] = [await startBlackHole()];
    try {
      const alice = await loginPeer(server, 'alice', {
        acceptPolicy: () => 'accept', discoverProxies: false,
        timings: { streamWaitMs: 1500, s5bConnectTimeoutMs: 15_000, s5bHeadStartMs: 10 },
      });
      ferries.push(alice);
      const { xmpp } = await rawPeer();
      const data = randomBytes(1000);
      const sid = await offerFile(xmpp, alice.jid, 'many.bin', data, md5(data), { method: NS_BYTESTREAMS });
      const hosts = Array.from({ length: 20 }, (_, i) => xml('streamhost', { jid: `hole${i}.localhost`, host: '127.0.0.1', port: String(holes[0].port) }));
      const answer = xmpp.iqCaller.request(xml('iq', { type: 'set', to: alice.jid }, xml('query', { xmlns: NS_BYTESTREAMS, sid, mode: 'tcp' }, ...hosts)), 20_000);
      answer.catch(() => undefined);
      await waitFor(() => holes[0].peers.length === 16, 5000, '16 connect attempts');
      const got = await alice.until((t) => t.direction === 'incoming' && ended(t), 10_000, 'alice ends');
      const endedAt = Date.now();
      expect([got.state, got.reason]).toEqual(['failed', 'the sender opened no bytestream within 2 s']);
      expect(got.attempts.map((a) => a.detail)).toContain('S5B: 4 more streamhosts offered');
      await waitFor(() => holes[0].peers.every((peer) => peer.isClosed), 2000, 'every attempt closed');
      expect(Date.now() - endedAt).toBeLessThan(2000); // not the 15 s connect timeout
      expect(holes[0].peers).toHaveLength(16);
      await expect(answer).rejects.toThrow(/item-not-found/);
    } finally {
      await Promise.all(holes.map((hole) => hole.close()));
    }
  }, 30_000);
});
