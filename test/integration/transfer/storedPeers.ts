import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../../electron/app/createCore';
import type { AcceptDecision } from '../../../electron/transfer/transferService';
import type { TransferSummary } from '../../../shared/model/transfer';
import type { LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import type { Peer } from './transferPair';

/** Where a stored peer keeps its account's store and its downloads; both survive its core's dispose. */
export interface PeerFolders { data: string; download: string }

/**
 * Cores with a data folder (the account's store: issue #10) for the tests of what survives a restart, a
 * logout or a Resume (persist, logoutResume, resumeRequest). `cleanup` disposes every core and removes every
 * folder made; call it after each test.
 */
export function storedPeers(options: { prefix: string; server: () => LocalProsody }) {
  const peers: Peer[] = [];
  const folders: string[] = [];

  function folder(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `ferry-${options.prefix}-${name}-`));
    folders.push(dir);
    return dir;
  }

  /** A core with `dirs`, logged in as `user`; `accept` is its host's accept policy (absent: the core's default, ask). */
  async function login(user: string, dirs: PeerFolders, accept?: AcceptDecision): Promise<Peer> {
    const core = createCore({
      downloadDir: dirs.download, dataDir: dirs.data, session: { loginTimeoutMs: 10_000 },
      transfers: { directAddresses: ['127.0.0.1'], discoverProxies: false, ...(accept ? { acceptPolicy: () => accept } : {}) },
    });
    const updates: TransferSummary[] = [];
    const latest = new Map<string, TransferSummary>();
    core.on('transfer.updated', (t) => { updates.push(t); latest.set(t.id, t); });
    core.on('transfer.removed', ({ id }) => { latest.delete(id); });
    await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: options.server().service, resource: 'ferry', allowPlaintext: true });
    const peer: Peer = {
      core, jid: `${user}@localhost/ferry`, dir: dirs.download, updates, latest: (id) => latest.get(id),
      until: (check, timeoutMs = 20_000, what = 'transfer state') => waitFor(() => [...latest.values()].find(check), timeoutMs, what),
    };
    peers.push(peer);
    return peer;
  }

  /** transfer.list once it passes `check` (the stored transfers come back once the store opened after a login; bounded wait). */
  async function listed(peer: Peer, check: (list: TransferSummary[]) => boolean, what: string): Promise<TransferSummary[]> {
    let list: TransferSummary[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      list = await peer.core.handlers['transfer.list']();
      if (check(list)) return list;
    }
    throw new Error(`timed out after 10000 ms waiting for ${what}: ${JSON.stringify(list.map((t) => [t.direction, t.state, t.reason]))}`);
  }

  async function cleanup(): Promise<void> {
    await Promise.all(peers.splice(0).map((peer) => peer.core.dispose()));
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  return { folder, login, listed, cleanup };
}
