import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerDiscovery } from '../../../../electron/xmpp/peerDiscovery';
import type { DiscoInfo } from '../../../../electron/xmpp/xep/xep0030Disco';
import { capsVer, NS_CAPS, type Caps } from '../../../../electron/xmpp/xep/xep0115Caps';
import { migrate } from '../../../../electron/store/sqlite/schema';
import { SqliteCapsStore } from '../../../../electron/store/sqlite/sqliteCapsStore';
import type { CapsStore } from '../../../../electron/store/capsStore';

const BOB = 'bob@localhost/laptop';
const INFO: DiscoInfo = {
  identities: [{ category: 'client', type: 'pc', name: 'Ferry' }],
  features: ['http://jabber.org/protocol/disco#info', NS_CAPS, 'urn:xmpp:receipts'],
  forms: [],
};
const VERIFIED: Caps = { hash: 'sha-1', node: 'https://ferry.example', ver: capsVer(INFO) };

/** A PeerDiscovery over a peer that answers INFO, counting the disco#info queries it is sent. */
function discovery(caps: Caps | null, store?: CapsStore | null, log: string[] = []) {
  const queries: (string | undefined)[] = [];
  const peers = new PeerDiscovery({
    disco: { queryInfo: async (_jid, node) => { queries.push(node); return structuredClone(INFO); } },
    presence: { bestResource: () => BOB, capsOf: (jid) => (jid === BOB ? caps : null) },
    log: (line) => log.push(line),
    ...(store === undefined ? {} : { store: async () => store }),
  });
  return { peers, queries };
}

describe('PeerDiscovery caps cache kept in the store (XEP-0115, issue #10)', () => {
  const opened: Database.Database[] = [];
  afterEach(() => { for (const db of opened.splice(0)) db.close(); });
  function memoryStore(): SqliteCapsStore {
    const db = new Database(':memory:');
    opened.push(db);
    migrate(db);
    return new SqliteCapsStore(db);
  }

  it('XEP-0115 §5.4: a verified ver is stored, and after a restart it answers without a disco#info query', async () => {
    const store = memoryStore();
    const first = discovery(VERIFIED, store);
    expect((await first.peers.features('bob@localhost')).features).toEqual(INFO.features);
    expect(first.queries).toEqual([`${VERIFIED.node}#${VERIFIED.ver}`]);
    expect(store.get('sha-1', VERIFIED.ver)).toEqual({ identities: INFO.identities, features: INFO.features });

    const restarted = discovery(VERIFIED, store);
    expect(restarted.peers.isCached('sha-1', VERIFIED.ver)).toBe(false);
    const answer = await restarted.peers.features('bob@localhost');
    expect(answer).toEqual({ jid: BOB, features: INFO.features, identities: [{ category: 'client', type: 'pc', name: 'Ferry' }] });
    expect(restarted.queries).toEqual([]);
    expect(restarted.peers.isCached('sha-1', VERIFIED.ver)).toBe(true); // and kept in memory from then on
  });

  it('XEP-0115 §5.4: a ver that does not verify is neither stored nor trusted, so it is asked every time', async () => {
    const store = memoryStore();
    const lying: Caps = { ...VERIFIED, ver: 'not-the-hash=' };
    const { peers, queries } = discovery(lying, store);
    await peers.features('bob@localhost');
    await peers.features('bob@localhost');
    expect(queries).toHaveLength(2);
    expect(store.get('sha-1', lying.ver)).toBeNull();
  });

  it('a peer without caps is asked each time and nothing is stored', async () => {
    const store = memoryStore();
    const { peers, queries } = discovery(null, store);
    await peers.features('bob@localhost');
    await peers.features('bob@localhost');
    expect(queries).toEqual([undefined, undefined]);
  });

  it('without a store (no data folder) it caches in memory only, as before', async () => {
    for (const store of [undefined, null]) {
      const { peers, queries } = discovery(VERIFIED, store);
      await peers.features('bob@localhost');
      await peers.features('bob@localhost');
      expect(queries).toHaveLength(1);
    }
  });

  it('a store that fails is logged and treated as a miss: the peer is asked and the answer still given', async () => {
    const broken: CapsStore = {
      get: () => { throw new Error('disk I/O error'); },
      put: () => { throw new Error('disk full'); },
      close: () => {},
    };
    const log: string[] = [];
    const { peers, queries } = discovery(VERIFIED, broken, log);
    expect((await peers.features('bob@localhost')).features).toEqual(INFO.features);
    expect(queries).toHaveLength(1);
    expect(log.join('\n')).toMatch(/could not be read: Error: disk I\/O error/);
    expect(log.join('\n')).toMatch(/could not be stored: Error: disk full/);
  });
});
