import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, openSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../../electron/app/core';
import { createCore, type CoreOptions } from '../../../electron/app/createCore';
import type { TransferSummary } from '../../../shared/model/transfer';
import { waitFor } from '../../support/xmppWaits';

/** Any private test server (localProsody or localEjabberd): only its c2s service is used here. */
export interface TestServer { service: string }

/** A logged-in Ferry core plus everything it reported about transfers. */
export interface Peer {
  core: Core;
  jid: string;
  dir: string;
  updates: TransferSummary[];
  latest(id: string): TransferSummary | undefined;
  /** Waits (bounded) until a transfer satisfies check. */
  until(check: (t: TransferSummary) => boolean, timeoutMs?: number, what?: string): Promise<TransferSummary>;
}

/**
 * Logs a core in as user on the test server, with only loopback offered as direct streamhost. `options.dir`
 * reuses a download folder (a restarted receiver finding what it kept).
 */
export async function loginPeer(server: TestServer, user: string, transfers: CoreOptions['transfers'] = {}, options: { dir?: string } = {}): Promise<Peer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `ferry-${user}-`));
  const core = createCore({ downloadDir: dir, session: { loginTimeoutMs: 10_000 }, transfers: { directAddresses: ['127.0.0.1'], ...transfers } });
  const updates: TransferSummary[] = [];
  const latest = new Map<string, TransferSummary>();
  core.on('transfer.updated', (t) => { updates.push(t); latest.set(t.id, t); });
  await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry', allowPlaintext: true });
  return {
    core, jid: `${user}@localhost/ferry`, dir, updates,
    latest: (id) => latest.get(id),
    until: (check, timeoutMs = 20_000, what = 'transfer state') =>
      waitFor(() => [...latest.values()].find(check), timeoutMs, what),
  };
}

export async function closePeer(peer: Peer): Promise<void> {
  await peer.core.dispose();
  rmSync(peer.dir, { recursive: true, force: true });
}

/** A file of random bytes and its sha-256. */
export function randomFile(dir: string, name: string, size: number): { path: string; sha256: string } {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  const block = Buffer.allocUnsafe(1024 * 1024);
  for (let written = 0; written < size; written += block.length) {
    randomFillSync(block);
    const part = block.subarray(0, Math.min(block.length, size - written));
    hash.update(part);
    writeSync(fd, part);
  }
  closeSync(fd);
  return { path, sha256: hash.digest('hex') };
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'ferry-src-'));
}

/** Waits (bounded) until `peer` sees a resource of `bare` online: a send picks its method from them. */
export async function untilOnline(peer: Peer, bare: string, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const roster = await peer.core.handlers['roster.get']();
    if (roster.some((c) => c.jid === bare && c.resources.length > 0)) return;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${bare} to be online`);
}
