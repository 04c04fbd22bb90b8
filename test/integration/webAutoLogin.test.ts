import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { runCli } from '../../electron/hosts/cli/runCli';
import { tempDir } from '../support/historyFixtures';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { skipUnlessPresent } from '../support/requiredTool';

const ROOT = resolve('.');
const BUNDLE = join(ROOT, 'bin', 'ferry.cjs');
const isBuilt = existsSync(join(ROOT, 'dist-node', 'cli.cjs')) && existsSync(join(ROOT, 'dist', 'renderer', 'index.html'));
const START_MS = 20_000;

interface HostProcess {
  child: ChildProcess;
  listening: Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** `node bin/ferry.cjs web ARGS --json`: resolves `listening` with its `{"event":"listening"}` line. */
function startHost(args: string[]): HostProcess {
  // The child trusts the private test CA through NODE_EXTRA_CA_CERTS (test/support/globalSetup.ts).
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: resolve(process.env.FERRY_TEST_CA_DIR ?? '.tmp/test-ca', 'ca.pem') };
  const child = spawn(process.execPath, [BUNDLE, 'web', '--json', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => { errors = (errors + chunk.toString()).slice(-4000); });
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const listening = new Promise<Record<string, unknown>>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no listening line within ${START_MS} ms: ${errors}`)), START_MS);
    void exited.then((code) => { clearTimeout(timer); fail(new Error(`exited with ${code}: ${errors}`)); });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event.event === 'listening') {
        clearTimeout(timer);
        done(event);
      }
    });
  });
  listening.catch(() => undefined);
  return { child, listening, exited, stderr: () => errors };
}

/** A page's view of the host: one authenticated socket; invoke() sends a request and waits for its answer. */
async function connect(port: number, token: string): Promise<{ invoke: (name: string, args: unknown) => Promise<Record<string, unknown>>; close: () => void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  const answers = new Map<number, Record<string, unknown>>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    if (message.type === 'result') answers.set(message.id as number, message);
  });
  await new Promise((done, fail) => { socket.once('open', done); socket.once('error', fail); });
  let nextId = 1;
  const invoke = async (name: string, args: unknown) => {
    const id = nextId++;
    socket.send(JSON.stringify({ type: 'invoke', id, name, args }));
    for (let waited = 0; waited < 20_000; waited += 20) {
      const answer = answers.get(id);
      if (answer) return answer;
      await new Promise((done) => setTimeout(done, 20));
    }
    throw new Error(`no answer to ${name}`);
  };
  return { invoke, close: () => socket.close() };
}

/** `ferry history --json` in-process: the bodies it prints. */
async function storedBodies(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  const code = await runCli(['history', '--json', '--jid', 'alice@localhost', '--with', 'bob@localhost', '--data-dir', dataDir], {
    stdout: { write: (text: string) => out.push(text) }, stderr: { write: () => true }, env: {},
  });
  expect(code).toBe(0);
  return out.join('').trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { body: string }).body);
}

// Issue #10 (CLI): `ferry web` given --jid/--password logs that account in at start, storing what arrives.
describe.skipIf(skipUnlessPresent({ 'the built CLI and renderer (npm run build)': isBuilt }))('ferry web --jid/--password (the built CLI) against a private Prosody', () => {
  let server: LocalProsody;
  const hosts: HostProcess[] = [];
  const cores: Core[] = [];
  const temps: (() => void)[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']] });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((core) => core.dispose()));
    for (const host of hosts.splice(0)) {
      if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
      await host.exited;
    }
    for (const cleanup of temps.splice(0)) cleanup();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is online before it prints its URL; what bob sends while no page is open is stored, and a page opened later finds the session and the message', async () => {
    const data = tempDir();
    temps.push(data.cleanup);
    mkdirSync(join(data.dir, 'downloads'));
    const host = startHost([
      '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', server.service, '--resource', 'kiosk',
      '--data-dir', join(data.dir, 'data'), '--dir', join(data.dir, 'downloads'),
    ]);
    hosts.push(host);
    const listening = await host.listening;
    expect(listening.jid).toBe('alice@localhost/kiosk');

    const bob = createCore({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 } });
    cores.push(bob);
    await bob.handlers['session.login']({ jid: 'bob@localhost', password: 'bob-pw', service: server.service, resource: 'ferry' });
    for (const body of ['while nobody looks 1', 'while nobody looks 2']) await bob.handlers['chat.send']({ to: 'alice@localhost', body });

    // Another process reads the store while the host holds it open (WAL); bounded wait for the 50 ms batch.
    let stored: string[] = [];
    for (let attempt = 0; attempt < 100 && stored.length < 2; attempt += 1) {
      stored = await storedBodies(join(data.dir, 'data'));
      if (stored.length < 2) await new Promise((done) => setTimeout(done, 100));
    }
    expect(stored, host.stderr()).toEqual(['while nobody looks 1', 'while nobody looks 2']);

    // The page opened afterwards: the host already has the session, and the history holds the messages.
    const page = await connect(listening.port as number, new URL(listening.url as string).searchParams.get('token')!);
    try {
      expect(await page.invoke('session.get', null)).toMatchObject({ ok: true, value: { state: 'online', jid: 'alice@localhost/kiosk' } });
      const history = await page.invoke('chat.history', { jid: 'bob@localhost' });
      expect((history.value as { body: string }[]).map((m) => m.body)).toEqual(stored);
    } finally {
      page.close();
    }
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(await storedBodies(join(data.dir, 'data'))).toEqual(stored);
  });

  it('a wrong password exits 3 and never serves', async () => {
    const data = tempDir();
    temps.push(data.cleanup);
    const host = startHost(['--jid', 'alice@localhost', '--password', 'wrong', '--service', server.service, '--data-dir', data.dir, '--dir', data.dir]);
    hosts.push(host);
    await expect(host.listening).rejects.toThrow(/exited with 3/);
  });
});
