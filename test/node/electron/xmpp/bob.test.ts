import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { BobService } from '../../../../electron/xmpp/bob';
import type { IqHandler } from '../../../../electron/xmpp/session';
import { XmppStanzaError } from '../../../../electron/xmpp/stanzaErrors';
import { bobCid, MAX_BOB_READ_BYTES, MAX_BOB_SEND_BYTES, NS_BOB, parseBobData } from '../../../../electron/xmpp/xep/xep0231Bob';

const bytesOf = (length: number, fill = 1) => new Uint8Array(length).fill(fill);

/** A fake session: captures the BoB handler, answers requests with a scripted reply. */
function setup(options: { maxItems?: number; maxTotalBytes?: number } = {}) {
  let handler: IqHandler | null = null;
  let clock = 1_000_000;
  const requests: Element[] = [];
  let reply: (iq: Element) => Element = () => xml('iq', { type: 'result' });
  const log: string[] = [];
  const bob = new BobService({
    handleIq: (type, ns, name, h) => {
      expect([type, ns, name]).toEqual(['get', NS_BOB, 'data']);
      handler = h;
      return () => { handler = null; };
    },
    request: async (iq: Element) => {
      requests.push(iq);
      return reply(iq);
    },
  }, { ...options, now: () => clock, log: (line) => log.push(line) });
  /** Asks the service, as `from`, for cid; resolves with the data or rejects with the stanza error. */
  const ask = async (from: string, cid: string) => {
    const stanza = xml('iq', { type: 'get', from, id: 'q1' }, xml('data', { xmlns: NS_BOB, cid }));
    return await handler!({ element: stanza.getChild('data')!, stanza, from });
  };
  return {
    bob, ask, requests, log, hasHandler: () => handler !== null,
    advance: (ms: number) => { clock += ms; },
    answerWith: (make: (iq: Element) => Element) => { reply = make; },
  };
}
const condition = async (promise: Promise<unknown>) => await promise.then(() => 'answered', (e: unknown) => (e instanceof XmppStanzaError ? e.condition : String(e)));

describe('BobService: answering requests for offered data (XEP-0231 §2.3)', () => {
  const data = { mediaType: 'image/png', bytes: bytesOf(100) };
  const cid = bobCid(data.bytes);

  it('answers the JID it offered to with the data and max-age, and item-not-found to anyone else', async () => {
    const t = setup();
    t.bob.offer(cid, data, { to: 'bob@localhost/phone', maxAgeSeconds: 60 });
    const answer = await t.ask('bob@localhost/phone', cid);
    expect(parseBobData(answer!)).toEqual({ ok: true, value: { cid, mediaType: 'image/png', maxAge: 60, bytes: data.bytes, isVerified: true } });
    expect(await condition(t.ask('bob@localhost/laptop', cid))).toBe('item-not-found'); // another resource
    expect(await condition(t.ask('carol@localhost/phone', cid))).toBe('item-not-found');
    expect(await condition(t.ask('', cid))).toBe('item-not-found');
    expect(await condition(t.ask('bob@localhost/phone', bobCid(bytesOf(3))))).toBe('item-not-found'); // never offered
  });

  it('a bare JID covers all its resources; JIDs compare case-insensitively in local part and domain', async () => {
    const t = setup();
    t.bob.offer(cid, data, { to: ['Bob@LocalHost'], maxAgeSeconds: 60 });
    expect(await condition(t.ask('bob@localhost/a', cid))).toBe('answered');
    expect(await condition(t.ask('BOB@localhost/b', cid))).toBe('answered');
    expect(await condition(t.ask('bob@localhost', cid))).toBe('answered');
  });

  it('refuses a request that carries data or has no usable cid with bad-request', async () => {
    const t = setup();
    expect(await condition(t.ask('bob@localhost/a', 'not a cid'))).toBe('bad-request');
  });

  it('forgets data after maxAgeSeconds', async () => {
    const t = setup();
    t.bob.offer(cid, data, { to: 'bob@localhost', maxAgeSeconds: 10 });
    t.advance(9_999);
    expect(await condition(t.ask('bob@localhost/a', cid))).toBe('answered');
    t.advance(1);
    expect(await condition(t.ask('bob@localhost/a', cid))).toBe('item-not-found');
  });

  it('offering again adds recipients; each withdraw removes only its own (idempotent)', async () => {
    const t = setup();
    const withdrawBob = t.bob.offer(cid, data, { to: 'bob@localhost', maxAgeSeconds: 60 });
    const withdrawCarol = t.bob.offer(cid, data, { to: 'carol@localhost', maxAgeSeconds: 60 });
    withdrawBob();
    withdrawBob();
    expect(await condition(t.ask('bob@localhost/a', cid))).toBe('item-not-found');
    expect(await condition(t.ask('carol@localhost/a', cid))).toBe('answered');
    withdrawCarol();
    expect(await condition(t.ask('carol@localhost/a', cid))).toBe('item-not-found');
  });

  it('keeps at most maxItems and maxTotalBytes, evicting the oldest offer first', async () => {
    const t = setup({ maxItems: 3, maxTotalBytes: 1000 });
    const cids = [1, 2, 3, 4].map((fill) => {
      const bytes = bytesOf(300, fill);
      const id = bobCid(bytes);
      t.bob.offer(id, { mediaType: 'image/png', bytes }, { to: 'bob@localhost', maxAgeSeconds: 60 });
      return id;
    });
    const held = async () => await Promise.all(cids.map(async (id) => await condition(t.ask('bob@localhost/a', id))));
    expect(await held()).toEqual(['item-not-found', 'answered', 'answered', 'answered']);
    const big = bytesOf(500, 9);
    cids.push(bobCid(big));
    t.bob.offer(bobCid(big), { mediaType: 'image/png', bytes: big }, { to: 'bob@localhost', maxAgeSeconds: 60 });
    // 300 + 300 + 500 > 1000: the second goes too.
    expect(await held()).toEqual(['item-not-found', 'item-not-found', 'item-not-found', 'answered', 'answered']);
  });

  it('refuses bad offers with a RangeError: cid of other bytes, too large, no recipient, bad JID or age, a cid re-used for other bytes', () => {
    const t = setup();
    const to = 'bob@localhost';
    expect(() => t.bob.offer(bobCid(bytesOf(5)), data, { to, maxAgeSeconds: 60 })).toThrow(RangeError);
    const large = bytesOf(MAX_BOB_SEND_BYTES + 1);
    expect(() => t.bob.offer(bobCid(large), { mediaType: 'image/png', bytes: large }, { to, maxAgeSeconds: 60 })).toThrow(RangeError);
    expect(() => t.bob.offer(cid, data, { to: [], maxAgeSeconds: 60 })).toThrow(RangeError);
    expect(() => t.bob.offer(cid, data, { to: 'not a jid', maxAgeSeconds: 60 })).toThrow(RangeError);
    for (const maxAgeSeconds of [0, -1, 1.5, 86_401]) expect(() => t.bob.offer(cid, data, { to, maxAgeSeconds })).toThrow(RangeError);
    t.bob.offer('thumb@example.org', data, { to, maxAgeSeconds: 60 });
    expect(() => t.bob.offer('thumb@example.org', { ...data, bytes: bytesOf(100, 2) }, { to, maxAgeSeconds: 60 })).toThrow(RangeError);
  });

  it('dispose stops answering (the handler is removed) and is idempotent', () => {
    const t = setup();
    t.bob.dispose();
    t.bob.dispose();
    expect(t.hasHandler()).toBe(false);
  });
});

describe('BobService: fetching data (XEP-0231 §2.3, §2.5)', () => {
  const bytes = bytesOf(200, 7);
  const cid = bobCid(bytes);
  const result = (attrs: Record<string, string>, text: string) => () => xml('iq', { type: 'result' }, xml('data', { xmlns: NS_BOB, ...attrs }, text));
  const base64 = Buffer.from(bytes).toString('base64');

  it('sends an iq get with an empty <data cid/> to the JID and returns the verified bytes', async () => {
    const t = setup();
    t.answerWith(result({ cid, type: 'image/png', 'max-age': '30' }, base64));
    expect(await t.bob.fetch('alice@localhost/ferry', cid, { maxBytes: 1000, timeoutMs: 1000 })).toEqual({ mediaType: 'image/png', bytes, maxAge: 30, isVerified: true });
    expect(t.requests[0].attrs).toMatchObject({ type: 'get', to: 'alice@localhost/ferry' });
    expect(t.requests[0].getChild('data', NS_BOB)?.attrs.cid).toBe(cid);
  });

  it('gives null for data that does not hash to the cid, another cid, too many bytes, no data, or an error', async () => {
    const t = setup();
    const other = Buffer.from(bytesOf(200, 8)).toString('base64');
    const cases: [() => Element, string][] = [
      [result({ cid, type: 'image/png' }, other), 'does not match the hash'],
      [result({ cid: bobCid(bytesOf(200, 8)), type: 'image/png' }, other), 'another cid'],
      [result({ cid, type: 'image/png' }, base64), 'more than the 100 accepted'],
      [() => xml('iq', { type: 'result' }), 'no <data/>'],
      [() => { throw new XmppStanzaError('item-not-found'); }, 'item-not-found'],
    ];
    for (const [reply, why] of cases) {
      t.answerWith(reply);
      expect(await t.bob.fetch('alice@localhost/ferry', cid, { maxBytes: 100, timeoutMs: 1000 })).toBeNull();
      expect(t.log.at(-1)).toContain(why);
    }
  });

  it('returns data under a cid that names no hash, marked unverified', async () => {
    const t = setup();
    t.answerWith(result({ cid: 'thumb-1@example.org', type: 'image/png' }, base64));
    expect(await t.bob.fetch('alice@localhost/ferry', 'thumb-1@example.org', { maxBytes: 1000, timeoutMs: 1000 })).toMatchObject({ isVerified: false, bytes });
  });

  it('gives null for a bad cid without asking, and throws a RangeError for a bad maxBytes', async () => {
    const t = setup();
    expect(await t.bob.fetch('alice@localhost/ferry', 'no cid', { maxBytes: 100, timeoutMs: 1000 })).toBeNull();
    expect(t.requests).toEqual([]);
    await expect(t.bob.fetch('alice@localhost/ferry', cid, { maxBytes: MAX_BOB_READ_BYTES + 1, timeoutMs: 1000 })).rejects.toThrow(RangeError);
    await expect(t.bob.fetch('alice@localhost/ferry', cid, { maxBytes: 0, timeoutMs: 1000 })).rejects.toThrow(RangeError);
  });
});
