import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { BobService } from '../../electron/xmpp/bob';
import { XmppSession } from '../../electron/xmpp/session';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';
import { bobCid, MAX_BOB_READ_BYTES, NS_BOB } from '../../electron/xmpp/xep/xep0231Bob';
import { startTestProsody, type LocalProsody } from '../support/prosody';

// A small PNG's worth of bytes (what a XEP-0264 thumbnail carries); BoB does not look inside.
const THUMBNAIL = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff);
const CID = bobCid(THUMBNAIL);

describe('XEP-0231 Bits of Binary between accounts on a real Prosody', () => {
  let server: LocalProsody;
  const sessions: XmppSession[] = [];
  const services: BobService[] = [];
  let mallory: Client;
  /** What mallory answers to a BoB request (scripted per test). */
  let malloryAnswer: (cid: string) => Element | Promise<Element> = () => xml('data', { xmlns: NS_BOB });

  async function login(user: string): Promise<{ session: XmppSession; bob: BobService; jid: string }> {
    const session = new XmppSession({ loginTimeoutMs: 10_000 });
    sessions.push(session);
    await session.login({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry' });
    const bob = new BobService(session);
    services.push(bob);
    return { session, bob, jid: String(session.jid) };
  }

  let alice: Awaited<ReturnType<typeof login>>;
  let bob: Awaited<ReturnType<typeof login>>;
  let carol: Awaited<ReturnType<typeof login>>;

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw'], ['mallory', 'mallory-pw']] });
    alice = await login('alice');
    bob = await login('bob');
    carol = await login('carol');
    mallory = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'probe', username: 'mallory', password: 'mallory-pw' });
    mallory.reconnect.stop();
    countInboundFromEnabled(mallory as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    mallory.on('error', () => {});
    mallory.iqCallee.get(NS_BOB, 'data', async (ctx: { stanza: Element }) => await malloryAnswer(String(ctx.stanza.getChild('data', NS_BOB)?.attrs.cid)));
    await mallory.start();
  });
  afterAll(async () => {
    for (const service of services) service.dispose();
    await Promise.all(sessions.map(async (session) => await session.dispose()));
    await mallory?.stop().catch(() => {});
    await server?.stop();
  });

  it('alice offers a thumbnail to bob; bob fetches it by cid and gets the bytes, verified against the cid (§2.3, §2.5)', async () => {
    alice.bob.offer(CID, { mediaType: 'image/png', bytes: THUMBNAIL }, { to: 'bob@localhost', maxAgeSeconds: 60 });
    const fetched = await bob.bob.fetch(alice.jid, CID, { maxBytes: MAX_BOB_READ_BYTES, timeoutMs: 5000 });
    expect(fetched).toEqual({ mediaType: 'image/png', bytes: THUMBNAIL, maxAge: 60, isVerified: true });
  });

  it('carol, to whom nothing was offered, gets item-not-found (null)', async () => {
    const log: string[] = [];
    const probe = new BobService(carol.session, { log: (line) => log.push(line) });
    services.push(probe);
    expect(await probe.fetch(alice.jid, CID, { maxBytes: MAX_BOB_READ_BYTES, timeoutMs: 5000 })).toBeNull();
    expect(log.join('\n')).toContain('item-not-found');
  });

  it('bob asking with maxBytes below the data size gets null', async () => {
    expect(await bob.bob.fetch(alice.jid, CID, { maxBytes: THUMBNAIL.length - 1, timeoutMs: 5000 })).toBeNull();
  });

  it('data that does not hash to the cid asked for is refused (null)', async () => {
    const log: string[] = [];
    const probe = new BobService(bob.session, { log: (line) => log.push(line) });
    services.push(probe);
    malloryAnswer = (cid) => xml('data', { xmlns: NS_BOB, cid, type: 'image/png' }, Buffer.from('not the thumbnail').toString('base64'));
    expect(await probe.fetch('mallory@localhost/probe', CID, { maxBytes: MAX_BOB_READ_BYTES, timeoutMs: 5000 })).toBeNull();
    expect(log.join('\n')).toContain('does not match the hash');
  });

  it('more data than MAX_BOB_READ_BYTES is refused (null), even under its own cid', async () => {
    const huge = Uint8Array.from({ length: MAX_BOB_READ_BYTES + 1 }, (_, i) => i & 0xff);
    const log: string[] = [];
    const probe = new BobService(bob.session, { log: (line) => log.push(line) });
    services.push(probe);
    malloryAnswer = () => xml('data', { xmlns: NS_BOB, cid: bobCid(huge), type: 'image/png' }, Buffer.from(huge).toString('base64'));
    expect(await probe.fetch('mallory@localhost/probe', bobCid(huge), { maxBytes: MAX_BOB_READ_BYTES, timeoutMs: 5000 })).toBeNull();
    expect(log.join('\n')).toContain(`larger than ${MAX_BOB_READ_BYTES} bytes`);
  });

  it('a peer that never answers gives null within the timeout', async () => {
    malloryAnswer = async () => await new Promise<Element>(() => {});
    const started = Date.now();
    expect(await bob.bob.fetch('mallory@localhost/probe', CID, { maxBytes: 1000, timeoutMs: 500 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
