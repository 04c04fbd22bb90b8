import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/model/session';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { runCli } from '../../electron/hosts/cli/runCli';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { skipUnlessPresent } from '../support/requiredTool';
import { waitFor } from '../support/xmppWaits';
import { tempDir } from '../support/historyFixtures';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const MESSAGES = 20;
const BUNDLE = resolve('bin/ferry.cjs');
const hasBundle = existsSync(resolve('dist-node/cli.cjs'));

/** `ferry history --json` in-process: the parsed lines. */
async function historyLines(args: string[]): Promise<Record<string, unknown>[]> {
  const out: string[] = [];
  const code = await runCli(['history', '--json', ...args], { stdout: { write: (text: string) => out.push(text) }, stderr: { write: () => true }, env: {} });
  expect(code).toBe(0);
  return out.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Runs the built CLI as a process; resolves with its exit code and stdout. */
function bundle(args: string[], children: ChildProcess[]): { child: ChildProcess; err: () => string; done: Promise<{ code: number | null; out: string }> } {
  // The child trusts the private test CA through NODE_EXTRA_CA_CERTS (test/support/globalSetup.ts).
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: resolve(process.env.FERRY_TEST_CA_DIR ?? '.tmp/test-ca', 'ca.pem') };
  const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: dirname(dirname(BUNDLE)), stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  return { child, err: () => err, done: new Promise((finish) => child.once('close', (code) => finish({ code, out }))) };
}

// Issue #10, first slice: chat history in the local store survives a logout and a new core (a host
// restart) with the same data folder, and `ferry history` reads it without logging in.
describe('chat history in the local store, against a private Prosody', () => {
  let server: LocalProsody;
  const cores: Core[] = [];
  const temps: (() => void)[] = [];
  const children: ChildProcess[] = [];

  async function login(user: string, dataDir?: string): Promise<Core> {
    const core = createCore({ downloadDir: '/nonexistent', dataDir, session: { loginTimeoutMs: 10_000 } });
    cores.push(core);
    await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry' });
    return core;
  }

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']] });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.dispose()));
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const cleanup of temps.splice(0)) cleanup();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps what bob received and sent across a logout and a new core with the same data dir; ferry history --json prints it', async () => {
    const data = tempDir(); // per attempt: the integration project retries once
    temps.push(data.cleanup);
    const alice = await login('alice');
    const bob = await login('bob', data.dir);
    const toBob: ChatMessage[] = [];
    bob.on('chat.received', (m) => toBob.push(m));
    for (let n = 0; n < MESSAGES; n += 1) await alice.handlers['chat.send']({ to: 'bob@localhost', body: `message ${n}` });
    await waitFor(() => toBob.length === MESSAGES || undefined, 10_000, `${MESSAGES} messages to bob`);
    const reply = await bob.handlers['chat.send']({ to: toBob[0].from, body: 'thanks alice' });
    const expected = [...toBob.map((m) => m.body), 'thanks alice'];
    expect((await bob.handlers['chat.history']({ jid: 'alice@localhost' })).map((m) => m.body)).toEqual(expected);

    // A logout and a login on the same core: the store is closed and opened again.
    await bob.handlers['session.logout'](undefined);
    await bob.handlers['session.login']({ jid: 'bob@localhost', password: 'bob-pw', service: server.service, resource: 'ferry' });
    expect((await bob.handlers['chat.history']({ jid: 'alice@localhost' })).map((m) => m.body)).toEqual(expected);

    // A new core (a restarted host) with the same data folder.
    await bob.dispose();
    const bobAgain = await login('bob', data.dir);
    const history = await bobAgain.handlers['chat.history']({ jid: 'alice@localhost' });
    expect(history.map((m) => m.body)).toEqual(expected);
    // alice's core answers the receipt request (XEP-0184): the stored reply may be marked delivered since.
    expect({ ...history.at(-1), deliveredAt: null }).toEqual({ ...reply, deliveredAt: null });
    expect(history[0]).toMatchObject({ id: toBob[0].id, direction: 'incoming', from: 'alice@localhost/ferry', peer: 'alice@localhost' });
    await bobAgain.dispose();

    // The CLI reads the same database without logging in.
    const out: string[] = [];
    const code = await runCli(['history', '--jid', 'bob@localhost', '--with', 'alice@localhost', '--json', '--data-dir', data.dir], {
      stdout: { write: (text: string) => out.push(text) }, stderr: { write: () => true }, env: {},
    });
    expect(code).toBe(0);
    const lines = out.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.body)).toEqual(expected);
    // Incoming: the stanza's to (alice wrote to the bare JID); outgoing: the address bob wrote to.
    expect(lines[0]).toEqual({ event: 'message', id: toBob[0].id, from: 'alice@localhost/ferry', to: 'bob@localhost', body: 'message 0', at: toBob[0].at });
    expect(lines.at(-1)).toEqual({ event: 'message', id: reply.id, from: 'bob@localhost/ferry', to: 'alice@localhost/ferry', body: 'thanks alice', at: reply.at });
  });

  it('without a data dir, history is forgotten at logout as before', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const toBob: ChatMessage[] = [];
    bob.on('chat.received', (m) => toBob.push(m));
    await alice.handlers['chat.send']({ to: 'bob@localhost', body: 'not kept' });
    await waitFor(() => toBob.length === 1 || undefined, 10_000, 'the message to bob');
    expect(await bob.handlers['chat.history']({ jid: 'alice@localhost' })).toHaveLength(1);
    await bob.handlers['session.logout'](undefined);
    await bob.handlers['session.login']({ jid: 'bob@localhost', password: 'bob-pw', service: server.service, resource: 'ferry' });
    expect(await bob.handlers['chat.history']({ jid: 'alice@localhost' })).toEqual([]);
  });

  it.skipIf(skipUnlessPresent({ 'the built CLI bundle (npm run build)': hasBundle }))('the built bundle keeps what ferry receive got, readable while it runs and by node bin/ferry.cjs history after', async () => {
    const data = tempDir();
    temps.push(data.cleanup);
    const alice = await login('alice');
    const bobLogin = ['--jid', 'bob@localhost', '--password', 'bob-pw', '--service', server.service, '--allow-plaintext', '--data-dir', data.dir];
    const receiver = bundle(['receive', ...bobLogin, '--resource', 'bundle', '--dir', data.dir, '--accept', 'none'], children);
    // bob is alice's friend: his resource shows in her roster once the bundle is online.
    const online = async () => (await alice.handlers['roster.get']()).find((i) => i.jid === 'bob@localhost')?.resources.some((r) => r.resource === 'bundle');
    for (let attempt = 0; attempt < 100 && !(await online()); attempt += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await online(), `${receiver.err()} ${JSON.stringify(await alice.handlers['roster.get']())}`).toBe(true);
    for (let n = 0; n < 3; n += 1) await alice.handlers['chat.send']({ to: 'bob@localhost', body: `to the bundle ${n}` });
    // Another process reads the database while the receiver holds it open (WAL).
    const args = ['--jid', 'bob@localhost', '--with', 'alice@localhost', '--data-dir', data.dir];
    let seen: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < 100 && seen.length < 3; attempt += 1) {
      seen = await historyLines(args);
      if (seen.length < 3) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.map((l) => l.body)).toEqual(['to the bundle 0', 'to the bundle 1', 'to the bundle 2']);
    receiver.child.kill('SIGTERM');
    expect((await receiver.done).code).toBe(0);
    const printed = await bundle(['history', '--json', ...args], children).done;
    expect(printed.code).toBe(0);
    expect(printed.out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual(seen);
  });
});
