import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { client, type Client } from '@xmpp/client';
import { runCli } from '../../electron/hosts/cli/runCli';
import type { CliIo } from '../../electron/hosts/cli/command';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { skipUnlessPresent } from '../support/requiredTool';
import { waitFor } from '../support/xmppWaits';
import { randomFile, scratchDir, sha256Of } from './transfer/transferPair';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';

// `ferry send` and `ferry receive` (issue 3, "CLI": exact interface, JSON lines, exit codes) driven in-process
// through runCli, against a private Prosody; one run goes through the built bundle (bin/ferry.cjs).
type Line = Record<string, unknown> & { event: string };
const BUNDLE = resolve('bin/ferry.cjs');
const hasBundle = existsSync(resolve('dist-node/cli.cjs'));

interface Run {
  code: Promise<number>;
  lines(): Line[];
  err(): string;
  /** The core the command built, once it has. */
  core(): Core | undefined;
  isOnline(): boolean;
}

describe('ferry send / receive against a private Prosody', () => {
  let server: LocalProsody;
  const src = scratchDir();
  const dirs: string[] = [];
  const running: Promise<number>[] = [];
  const raws: Client[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await Promise.all(raws.splice(0).map((raw) => raw.stop().catch(() => undefined)));
    // Every command here has a --timeout, so each of these settles by itself.
    await Promise.all(running.splice(0));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const login = (user: string, resource = 'cli') => [
    '--jid', `${user}@localhost`, '--password', `${user}-pw`, '--service', server.service, '--allow-plaintext', '--resource', resource,
  ];

  function cli(argv: string[]): Run {
    const out: string[] = [];
    const err: string[] = [];
    let built: Core | undefined;
    let isOnline = false;
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      createCore: (options) => {
        built = createCore(options);
        built.on('session.changed', (s) => { isOnline = s.state === 'online'; });
        return built;
      },
      waitForStop: () => new Promise(() => undefined),
    };
    const code = runCli(argv, io);
    running.push(code.catch(() => -1));
    return {
      code,
      lines: () => out.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line),
      err: () => err.join(''),
      core: () => built,
      isOnline: () => isOnline,
    };
  }

  function downloadDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-rx-'));
    dirs.push(dir);
    return dir;
  }

  /** `ferry receive` as bob@localhost/cli; resolves once it is online (so a full JID reaches it). */
  async function receiver(extra: string[]): Promise<Run> {
    const run = cli(['receive', ...login('bob'), '--json', '--timeout', '40', ...extra]);
    await waitFor(() => run.isOnline(), 15_000, 'receiver online').catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; stderr: ${run.err()}; exit ${await Promise.race([run.code, Promise.resolve('still running')])}`);
    });
    return run;
  }

  /** Issue 3's done line, keys in its order; then the attempt log, and issue 8's hash (and resumedFrom after a range). */
  const DONE_KEYS = ['event', 'id', 'direction', 'name', 'size', 'sha256', 'method', 'transport', 'path'];
  const doneOk = (line: Line): void => {
    expect(Object.keys(line).slice(0, DONE_KEYS.length)).toEqual(DONE_KEYS);
    expect(Object.keys(line).slice(DONE_KEYS.length)).toEqual(['attempts', 'hash']);
    expect(['verified', 'none']).toContain(line.hash);
    if ('attempts' in line) expect(line.attempts).toContainEqual(expect.objectContaining({ outcome: 'succeeded' }));
  };

  const progressOk = (line: Line): void => {
    expect(Object.keys(line)).toEqual(['event', 'id', 'bytes', 'size', 'rate']);
    expect(line).toMatchObject({ event: 'progress', id: expect.any(String), bytes: expect.any(Number), size: expect.any(Number), rate: expect.any(Number) });
  };

  async function sendPair(transport: 's5b-direct' | 'ibb', sendExtra: string[], size: number) {
    const rx = downloadDir();
    const bob = await receiver(['--dir', rx, '--accept', 'all', '--count', '1']);
    const file = randomFile(src, `cli-${transport}.bin`, size);
    const alice = cli(['send', ...login('alice'), '--to', 'bob@localhost/cli', '--method', 'si', '--transport', transport, '--json', '--timeout', '40', ...sendExtra, file.path]);
    const [sendCode, receiveCode] = await Promise.all([alice.code, bob.code]);
    const context = `alice: ${alice.err()} ${JSON.stringify(alice.lines().filter((l) => l.event !== 'progress'))}\nbob: ${bob.err()} ${JSON.stringify(bob.lines().filter((l) => l.event !== 'progress'))}`;
    expect([sendCode, receiveCode], context).toEqual([0, 0]);

    const rxLines = bob.lines();
    const offer = rxLines[0];
    expect(Object.keys(offer)).toEqual(['event', 'id', 'from', 'name', 'size', 'mediaType']);
    expect(offer).toEqual({ event: 'offer', id: expect.any(String), from: 'alice@localhost/cli', name: `cli-${transport}.bin`, size, mediaType: 'application/octet-stream' });
    const rxDone = rxLines[rxLines.length - 1];
    doneOk(rxDone);
    expect(rxDone).toMatchObject({
      event: 'done', id: offer.id, direction: 'incoming', name: `cli-${transport}.bin`, size, sha256: file.sha256, method: 'si', transport,
      path: join(rx, `cli-${transport}.bin`),
    });
    expect(sha256Of(rxDone.path as string)).toBe(file.sha256);
    expect(readdirSync(rx)).toEqual([`cli-${transport}.bin`]);
    const rxProgress = rxLines.slice(1, -1);
    expect(rxProgress.length).toBeGreaterThan(0);
    for (const line of rxProgress) { progressOk(line); expect(line).toMatchObject({ id: offer.id, size }); }
    expect(rxProgress.map((l) => l.bytes as number)).toEqual([...rxProgress.map((l) => l.bytes as number)].sort((a, b) => a - b));

    const txLines = alice.lines();
    const txDone = txLines[txLines.length - 1];
    doneOk(txDone);
    expect(txDone).toMatchObject({
      event: 'done', id: expect.any(String), direction: 'outgoing', name: `cli-${transport}.bin`, size, sha256: file.sha256, method: 'si', transport, path: file.path,
    });
    for (const line of txLines.slice(0, -1)) { progressOk(line); expect(line.id).toBe(txDone.id); }
    return { alice, bob };
  }

  it('send + receive over s5b-direct with --json: offer, progress and done lines, exit 0 on both sides (XEP-0065 §5)', async () => {
    await sendPair('s5b-direct', ['--s5b-address', '127.0.0.1'], 3 * 1024 * 1024 + 1);
  });

  it('send + receive over ibb with --block-size and --ibb-stanza message (XEP-0047 §4), exit 0 on both sides', async () => {
    await sendPair('ibb', ['--ibb-stanza', 'message', '--block-size', '16384'], 200 * 1024 + 5);
  });

  it('receive --accept none declines (XEP-0095 §3.2): the sender exits 5 with a failed line, the receiver exits 0 after --count 1', async () => {
    const rx = downloadDir();
    const bob = await receiver(['--dir', rx, '--accept', 'none', '--count', '1']);
    const file = randomFile(src, 'cli-declined.bin', 1000);
    const alice = cli(['send', ...login('alice'), '--to', 'bob@localhost/cli', '--method', 'si', '--json', '--timeout', '30', file.path]);
    expect(await alice.code, alice.err()).toBe(5);
    expect(await bob.code, bob.err()).toBe(0);
    const [failed] = alice.lines();
    expect(alice.lines()).toHaveLength(1);
    expect(Object.keys(failed)).toEqual(['event', 'id', 'direction', 'name', 'state', 'reason', 'attempts', 'method', 'transport', 'hash']);
    expect(failed).toMatchObject({ event: 'failed', direction: 'outgoing', name: 'cli-declined.bin', state: 'declined', reason: expect.stringMatching(/declined/) });
    expect(bob.lines().map((l) => [l.event, l.state ?? null])).toEqual([['offer', null], ['failed', 'declined']]);
    expect(readdirSync(rx)).toEqual([]);
  });

  it('sending to an offline full JID exits 1 with a failed line carrying a reason and the attempts array (RFC 6120 §8.5.3.2.1)', async () => {
    const file = randomFile(src, 'cli-offline.bin', 1000);
    const alice = cli(['send', ...login('alice'), '--to', 'bob@localhost/nobody-here', '--method', 'si', '--json', '--timeout', '30', file.path]);
    expect(await alice.code, alice.err()).toBe(1);
    const lines = alice.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: 'failed', direction: 'outgoing', name: 'cli-offline.bin', state: 'failed', attempts: expect.any(Array) });
    expect(lines[0].reason).toMatch(/service-unavailable|offline|unavailable/);
  });

  it('send --method http-upload + receive: the upload line carries the url, the receiver takes the link (method oob) under --accept (XEP-0363, XEP-0066)', async () => {
    const rx = downloadDir();
    const bob = await receiver(['--dir', rx, '--accept', 'all', '--count', '1']);
    const file = randomFile(src, 'cli-upload.bin', 512 * 1024 + 9);
    const alice = cli(['send', ...login('alice'), '--to', 'bob@localhost', '--method', 'http-upload', '--json', '--timeout', '40', file.path]);
    const [sendCode, receiveCode] = await Promise.all([alice.code, bob.code]);
    expect([sendCode, receiveCode], `${alice.err()} ${bob.err()}`).toEqual([0, 0]);
    const txDone = alice.lines().at(-1)!;
    expect(txDone).toMatchObject({ event: 'done', direction: 'outgoing', method: 'http-upload', transport: 'http', hash: 'none', url: expect.stringMatching(/^http:\/\//) });
    const offer = bob.lines()[0]!;
    expect(offer).toMatchObject({ event: 'offer', from: 'alice@localhost/cli', name: 'cli-upload.bin', size: 0, url: txDone.url });
    const rxDone = bob.lines().at(-1)!;
    expect(rxDone).toMatchObject({ event: 'done', id: offer.id, method: 'oob', transport: 'http', size: 512 * 1024 + 9, sha256: file.sha256, url: txDone.url });
    expect(readdirSync(rx)).toEqual(['cli-upload.bin']);
  });

  it.each([
    ['missing --to', ['send', '--jid', 'alice@localhost', '--password', 'x', 'file.bin'], /missing --to/],
    ['a bad --transport', ['send', '--jid', 'alice@localhost', '--password', 'x', '--to', 'bob@localhost/cli', '--transport', 'carrier-pigeon', 'file.bin'], /--transport must be one of/],
    ['--block-size 0', ['send', '--jid', 'alice@localhost', '--password', 'x', '--to', 'bob@localhost/cli', '--block-size', '0', 'file.bin'], /--block-size wants an integer between 1 and 65535/],
    ['no FILE', ['send', '--jid', 'alice@localhost', '--password', 'x', '--to', 'bob@localhost/cli'], /missing file/],
    ['receive without --dir', ['receive', '--jid', 'bob@localhost', '--password', 'x'], /missing --dir/],
    ['receive --accept maybe', ['receive', '--jid', 'bob@localhost', '--password', 'x', '--dir', '/tmp', '--accept', 'maybe'], /--accept must be/],
  ])('a usage error (%s) exits 2 without connecting', async (_what, argv, message) => {
    const run = cli(argv);
    expect(await run.code).toBe(2);
    expect(run.err()).toMatch(message);
    expect(run.core()).toBeUndefined();
  });

  it('send --timeout exits 4 when the peer never answers the offer', async () => {
    const carol = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: 'carol', password: 'carol-pw', resource: 'mute' });
    countInboundFromEnabled(carol as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    carol.reconnect.stop();
    carol.on('error', () => undefined);
    raws.push(carol);
    carol.iqCallee.set('http://jabber.org/protocol/si', 'si', () => new Promise<never>(() => undefined));
    await carol.start();
    const file = randomFile(src, 'cli-timeout.bin', 1000);
    const started = Date.now();
    const alice = cli(['send', ...login('alice'), '--to', 'carol@localhost/mute', '--json', '--timeout', '2', file.path]);
    expect(await alice.code, alice.err()).toBe(4);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(alice.lines().at(-1)).toMatchObject({ event: 'error', code: 'timeout', exitCode: 4 });
  });

  it('receive --count 1 --timeout exits 4 when no offer comes', async () => {
    const started = Date.now();
    const run = cli(['receive', ...login('bob', 'idle'), '--dir', downloadDir(), '--count', '1', '--timeout', '1.5']);
    expect(await run.code, run.err()).toBe(4);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(run.err()).toMatch(/did not finish within 1.5 s/);
  });

  it.skipIf(skipUnlessPresent({ 'the built CLI bundle (npm run build)': hasBundle }))('the built bundle (node bin/ferry.cjs send) exits 5 as a process when the peer declines', async () => {
    const rx = downloadDir();
    const bob = await receiver(['--dir', rx, '--accept', 'none', '--count', '1']);
    const file = randomFile(src, 'cli-bundle.bin', 1000);
    // --data-dir: the process inherits HOME, and its history must not land in the user's data dir.
    const child = spawn(process.execPath, [BUNDLE, 'send', ...login('alice', 'bundle'), '--data-dir', join(src, 'bundle-data'), '--to', 'bob@localhost/cli', '--json', '--timeout', '30', file.path], {
      cwd: dirname(dirname(BUNDLE)), stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    const code = await new Promise<number | null>((done) => child.once('close', (c) => done(c)));
    expect(code, out).toBe(5);
    expect(JSON.parse(out.trim())).toMatchObject({ event: 'failed', state: 'declined' });
    expect(await bob.code).toBe(0);
  });
});
