import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { createCoreServices, type CoreServices } from '../../electron/app/coreServices';
import { createCore } from '../../electron/app/createCore';
import type { Core } from '../../electron/app/core';
import { FERRY_CAPS_NODE } from '../../electron/xmpp/disco';
import { NS_DISCO_INFO, parseInfo } from '../../electron/xmpp/xep/xep0030Disco';
import { capsVer, NS_CAPS } from '../../electron/xmpp/xep/xep0115Caps';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';

describe('service discovery and entity capabilities (XEP-0030, XEP-0115)', () => {
  let server: LocalProsody;
  let raw: Client;
  const presences: Element[] = [];
  const disposers: (() => Promise<void>)[] = [];
  let resourceCount = 0;
  let aliceJid = '';

  async function loginServices(user: string): Promise<CoreServices> {
    const services = createCoreServices({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 } });
    disposers.push(() => services.dispose());
    resourceCount += 1;
    await services.session.login({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: `ferry${resourceCount}` });
    if (user === 'alice') aliceJid = String(services.session.jid);
    return services;
  }
  async function loginCore(user: string): Promise<Core> {
    const core = createCore({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 } });
    disposers.push(() => core.dispose());
    await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry' });
    return core;
  }
  const infoOf = async (to: string, node?: string) =>
    await raw.iqCaller.request(xml('iq', { type: 'get', to }, xml('query', { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) })), 5000);
  const lastCapsFrom = (from: string) =>
    presences.filter((p) => p.attrs.from === from && p.getChild('c', NS_CAPS)).at(-1)?.getChild('c', NS_CAPS);
  /** For failure messages: every presence the probe saw, as "from type ver". */
  const seen = () => presences.map((p) => `${String(p.attrs.from)} ${String(p.attrs.type ?? '')} ${String(p.getChild('c', NS_CAPS)?.attrs.ver ?? '-')}`).join('; ');

  beforeAll(async () => {
    server = await startTestProsody({
      accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['raw', 'raw-pw']],
      friends: [['alice', 'raw'], ['alice', 'bob']],
      uploadSizeLimit: 5 * 1024 * 1024,
    });
    raw = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'probe', username: 'raw', password: 'raw-pw' });
    countInboundFromEnabled(raw as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    raw.reconnect.stop();
    raw.on('error', () => {});
    raw.on('stanza', (stanza) => { if (stanza.is('presence')) presences.push(stanza); });
    await raw.start();
    await raw.send(xml('presence'));
  });
  afterEach(async () => {
    await Promise.all(disposers.splice(0).map((d) => d()));
    presences.length = 0;
  });
  afterAll(async () => {
    await raw?.stop().catch(() => {});
    await server?.stop();
  });

  it('answers disco#info with identity client/pc Ferry and its features (XEP-0030 §3.1)', async () => {
    await loginServices('alice');
    const result = await infoOf(aliceJid);
    const info = parseInfo(result.getChild('query', NS_DISCO_INFO)!);
    expect(info.identities).toEqual([{ category: 'client', type: 'pc', name: 'Ferry' }]);
    expect(info.features).toEqual(expect.arrayContaining([
      'http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items', NS_CAPS, 'urn:xmpp:ping',
    ]));
  });

  it('announces <c/> whose ver is the XEP-0115 §5.1 hash of what it answers, also at node#ver (§6.2)', async () => {
    await loginServices('alice');
    const c = await waitFor(() => lastCapsFrom(aliceJid), 10_000, 'presence with caps');
    expect(c.attrs).toMatchObject({ hash: 'sha-1', node: FERRY_CAPS_NODE });
    const atNode = await infoOf(aliceJid, `${FERRY_CAPS_NODE}#${String(c.attrs.ver)}`);
    const query = atNode.getChild('query', NS_DISCO_INFO)!;
    expect(query.attrs.node).toBe(`${FERRY_CAPS_NODE}#${String(c.attrs.ver)}`);
    expect(capsVer(parseInfo(query))).toBe(c.attrs.ver);
  });

  it('answers an unknown node with item-not-found', async () => {
    await loginServices('alice');
    const error = await infoOf(aliceJid, 'urn:nothing#here').catch((e: unknown) => e);
    expect((error as { condition?: string }).condition).toBe('item-not-found');
  });

  it('answers XEP-0199 pings', async () => {
    await loginServices('alice');
    const pong = await raw.iqCaller.request(xml('iq', { type: 'get', to: aliceJid }, xml('ping', { xmlns: 'urn:xmpp:ping' })), 5000);
    expect(pong.attrs.type).toBe('result');
  });

  it('re-sends presence with a new ver when a feature is added while online', async () => {
    const alice = await loginServices('alice');
    const before = await waitFor(() => lastCapsFrom(aliceJid), 10_000, 'first caps');
    const remove = alice.disco.addFeature('urn:example:test-feature');
    const after = await waitFor(() => {
      const c = lastCapsFrom(aliceJid);
      return c && c.attrs.ver !== before.attrs.ver ? c : undefined;
    }, 10_000, 'presence with new ver');
    const info = parseInfo((await infoOf(aliceJid)).getChild('query', NS_DISCO_INFO)!);
    expect(info.features).toContain('urn:example:test-feature');
    expect(capsVer(info)).toBe(after.attrs.ver);
    remove();
    await waitFor(() => lastCapsFrom(aliceJid)?.attrs.ver === before.attrs.ver || undefined, 10_000, 'ver back')
      .catch((error: unknown) => { throw new Error(`${String(error)}; presences seen: ${seen()}`); });
  });

  it('disco.peer returns a contact\'s features and caches a verified caps ver', async () => {
    const alice = await loginServices('alice');
    await loginServices('bob');
    const bobJid = `bob@localhost/ferry${resourceCount}`;
    await waitFor(() => alice.presence.capsOf(bobJid) ?? undefined, 10_000, 'bob caps seen by alice');
    const features = await alice.peers.features('bob@localhost');
    expect(features.jid).toBe(bobJid);
    expect(features.identities).toEqual([{ category: 'client', type: 'pc', name: 'Ferry' }]);
    expect(features.features).toContain(NS_CAPS);
    const caps = alice.presence.capsOf(bobJid)!;
    expect(alice.peers.isCached(caps.hash, caps.ver)).toBe(true);
  });

  it('disco.server lists the XEP-0065 proxy with its address and the XEP-0363 service with its size limit', async () => {
    const core = await loginCore('alice');
    const info = await core.handlers['disco.server']();
    // One structural assertion, so a failure shows the whole answer.
    expect({ ...info, items: info.items.map((i) => i.jid).sort() }).toMatchObject({
      domain: 'localhost',
      identities: expect.arrayContaining([expect.objectContaining({ category: 'server', type: 'im' })]),
      proxies: [{ jid: 'proxy.localhost', host: '127.0.0.1', port: server.ports.proxy65 }],
      uploadServices: [{ jid: 'upload.localhost', maxFileSize: 5 * 1024 * 1024 }],
      items: ['proxy.localhost', 'upload.localhost'],
    });
  });
});
