import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

// A receiver process killed with SIGKILL mid-transfer (no shutdown code runs) leaves its .part with the open
// sidecar written when receiving began; the next `ferry receive` in the same folder resumes it by a range.
type Line = Record<string, unknown> & { event: string };
const BUNDLE = resolve('bin/ferry.cjs');
const hasBundle = existsSync(resolve('dist-node/cli.cjs'));
const SIZE = 32 * 1024 * 1024 + 7;
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);

interface Receiver { child: ChildProcess; lines: Line[]; err: string[]; exit: Promise<number | null> }

describe.skipIf(!hasBundle)('resume after a killed receiver (XEP-0096 §3 and XEP-0234 §7 ranges; real Prosody, the built CLI)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const children: ChildProcess[] = [];
  const src = scratchDir();
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.pid) { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone already */ } }
    await Promise.all(peers.splice(0).map(closePeer));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => { await server?.stop(); });

  function receive(dir: string, resource: string): Receiver {
    const child = spawn(process.execPath, [BUNDLE, 'receive', '--jid', 'bob@localhost', '--password', 'bob-pw', '--service', server.service,
      '--allow-plaintext', '--resource', resource, '--dir', dir, '--accept', 'all', '--count', '1', '--json', '--timeout', '60'], {
      cwd: dirname(dirname(BUNDLE)), stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: Line[] = [];
    const err: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) {
        try { if (part.trim()) lines.push(JSON.parse(part) as Line); } catch { err.push(`not JSON: ${part}`); }
      }
    });
    return { child, lines, err, exit: new Promise((done) => child.once('exit', (code) => done(code))) };
  }

  /** The receiver is reachable once its presence reached alice (the CLI sends it after login). */
  async function online(alice: Peer, resource: string): Promise<void> {
    for (let waited = 0; waited < 15_000; waited += 100) {
      const roster = await alice.core.handlers['roster.get']();
      if (roster.some((c) => c.jid === 'bob@localhost' && c.resources.some((r) => r.resource === resource))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`bob/${resource} did not come online within 15 s`);
  }

  it.each(['si', 'jingle'] as const)('over %s: the .part a SIGKILL left is resumed, and the whole file verifies', async (method) => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-kill-rx-'));
    dirs.push(dir);
    // A SIGKILLed client's session hibernates at the server (XEP-0198): no unavailable presence, IQs just go
    // unanswered, so alice notices by the IBB acknowledgement timeout.
    const alice = await loginPeer(server, 'alice', { discoverProxies: false, timings: { offlineGraceMs: 1000, ibbAckTimeoutMs: 3000 } });
    peers.push(alice);
    const file = randomFile(src, `killed-${method}.bin`, SIZE);

    const resource = `cli-${method}`;
    const to = `bob@localhost/${resource}`;
    const first = receive(dir, resource);
    await online(alice, resource);
    const [sent] = await alice.core.handlers['transfer.send']({ to, paths: [file.path], method, transport: 'ibb' });
    await waitFor(() => first.lines.some((l) => l.event === 'progress' && Number(l.bytes) >= 1024 * 1024), 30_000, 'bytes at the receiver').catch((e: Error) => { throw new Error(`${e.message}: ${JSON.stringify(first.lines)} ${first.err.join('')} ${JSON.stringify(alice.updates.at(-1)?.reason)}`); });
    if (first.child.exitCode === null) process.kill(first.child.pid!, 'SIGKILL');
    await first.exit;
    const interrupted = await alice.until((t) => t.id === sent.id && ended(t), 30_000, 'alice ends the first transfer')
      .catch((e: Error) => { throw new Error(`${e.message}: ${first.err.join('').slice(0, 800)} ${JSON.stringify(first.lines.slice(-2))} ${JSON.stringify(alice.latest(sent.id))}`); });
    expect(interrupted.state).toBe('failed');
    expect(readdirSync(dir).sort()).toEqual([`killed-${method}.bin.part`, `killed-${method}.bin.part.ferry.json`]);

    // A new resource: the killed one's session may still hibernate at the server (XEP-0198).
    const second = receive(dir, `${resource}-2`);
    await online(alice, `${resource}-2`);
    const [again] = await alice.core.handlers['transfer.send']({ to: `${to}-2`, paths: [file.path], method });
    expect(await second.exit, `${second.err.join('').slice(0, 600)} ${JSON.stringify(second.lines.slice(-3))} ${JSON.stringify(alice.latest(again.id))}`).toBe(0);
    const done = second.lines.find((l) => l.event === 'done');
    expect(done, JSON.stringify(second.lines.slice(-3))).toMatchObject({ method, hash: 'verified', sha256: file.sha256 });
    expect(Number(done!.resumedFrom)).toBeGreaterThan(0);
    expect(Number(done!.resumedFrom)).toBeLessThan(SIZE);
    expect(sha256Of(String(done!.path))).toBe(file.sha256);
    const resent = await alice.until((t) => t.id === again.id && ended(t), 30_000, 'alice ends the second transfer');
    expect([resent.state, resent.resumedFrom]).toEqual(['done', done!.resumedFrom]);
    expect(readdirSync(dir)).toEqual([`killed-${method}.bin`]);
  }, 120_000);
});
