import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { createCoreServices, type CoreServices } from '../../electron/app/coreServices';
import { buildInfoResult, NS_DISCO_INFO, type DiscoInfo } from '../../electron/xmpp/xep/xep0030Disco';
import { capsVer, NS_CAPS } from '../../electron/xmpp/xep/xep0115Caps';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { tempDir } from '../support/historyFixtures';
import { waitFor } from '../support/xmppWaits';

const ALICE_FULL = 'alice@localhost/ferry';
const PEER_NODE = 'https://peer.example/caps';
const featuresOf = (extra: string): DiscoInfo => ({
  identities: [{ category: 'client', type: 'pc', name: 'Peer' }],
  features: ['http://jabber.org/protocol/disco#info', NS_CAPS, extra],
  forms: [],
});

/**
 * Issue #10, "known peers' features (caps cache)": a core restarted with the same data folder answers a
 * peer's features for a caps ver it verified before without a disco#info query. The peer is a plain
 * @xmpp/client that announces caps and counts the disco#info queries it is sent.
 */
describe('the caps cache kept across a restart (XEP-0115 §5.4, §6.3)', () => {
  let server: LocalProsody;
  let peer: Client;
  let peerJid = '';
  let answering: DiscoInfo = featuresOf('urn:example:one');
  const queries: string[] = [];
  const disposers: (() => Promise<void>)[] = [];
  let data: { dir: string; cleanup: () => void };

  async function loginAlice(): Promise<CoreServices> {
    const services = createCoreServices({ downloadDir: '/nonexistent', dataDir: data.dir, session: { loginTimeoutMs: 10_000 } });
    disposers.push(() => services.dispose());
    await services.session.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, resource: 'ferry' });
    return services;
  }
  /** The peer announces `info` under `ver` (its own hash unless a lying one is given). */
  async function announce(info: DiscoInfo, ver = capsVer(info)): Promise<string> {
    answering = info;
    await peer.send(xml('presence', {}, xml('c', { xmlns: NS_CAPS, hash: 'sha-1', node: PEER_NODE, ver })));
    return ver;
  }
  async function featuresWhenSeen(alice: CoreServices, ver: string): Promise<string[]> {
    await waitFor(() => alice.presence.capsOf(peerJid)?.ver === ver || undefined, 10_000, `alice sees the peer's ver ${ver}`);
    return (await alice.peers.features(peerJid)).features;
  }

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['peer', 'peer-pw']], friends: [['alice', 'peer']] });
    peer = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'probe', username: 'peer', password: 'peer-pw' });
    countInboundFromEnabled(peer as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    peer.reconnect.stop();
    peer.on('error', () => {});
    peer.iqCallee.get(NS_DISCO_INFO, 'query', (context: { stanza: Element }) => {
      const node = context.stanza.getChild('query', NS_DISCO_INFO)?.attrs.node as string | undefined;
      // Prosody's PEP asks too (from alice's bare JID, for +notify features): only the core's queries count.
      if (context.stanza.attrs.from === ALICE_FULL) queries.push(node ?? '');
      return buildInfoResult({ ...answering, ...(node ? { node } : {}) });
    });
    peerJid = String(await peer.start());
  });
  afterEach(async () => {
    await Promise.all(disposers.splice(0).map((d) => d()));
    data?.cleanup();
  });
  afterAll(async () => {
    await peer?.stop().catch(() => {});
    await server?.stop();
  });

  it('a ver verified before the restart is answered from the store: no disco#info query; a new ver still queries', async () => {
    data = tempDir();
    const one = await announce(featuresOf('urn:example:one'));
    const first = await loginAlice();
    expect(await featuresWhenSeen(first, one)).toContain('urn:example:one');
    expect(queries).toEqual([`${PEER_NODE}#${one}`]);
    await Promise.all(disposers.splice(0).map((d) => d()));

    const again = await loginAlice();
    expect(await featuresWhenSeen(again, one)).toContain('urn:example:one');
    expect(queries).toHaveLength(1); // the restarted core did not ask

    const two = await announce(featuresOf('urn:example:two'));
    expect(await featuresWhenSeen(again, two)).toContain('urn:example:two');
    expect(queries).toEqual([`${PEER_NODE}#${one}`, `${PEER_NODE}#${two}`]);
  });

  it('an unverifiable ver is never stored: after the restart it is asked again', async () => {
    data = tempDir();
    queries.length = 0;
    const lie = await announce(featuresOf('urn:example:three'), 'bm90LXRoZS1oYXNo=');
    const first = await loginAlice();
    expect(await featuresWhenSeen(first, lie)).toContain('urn:example:three');
    expect(await featuresWhenSeen(first, lie)).toContain('urn:example:three');
    expect(queries).toHaveLength(2); // not trusted even in memory
    await Promise.all(disposers.splice(0).map((d) => d()));

    const again = await loginAlice();
    expect(await featuresWhenSeen(again, lie)).toContain('urn:example:three');
    expect(queries).toHaveLength(3);
  });
});
