import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../../../shared/model/jid';
import type { CliIo } from '../../../../../../electron/hosts/cli/command';
import { runCli } from '../../../../../../electron/hosts/cli/runCli';
import { createSqliteHistoryStores } from '../../../../../../electron/store/sqlite/sqliteHistoryStores';
import { message, tempDir } from '../../../../../support/historyFixtures';

function harness(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let cores = 0;
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env,
    createCore: () => { cores += 1; throw new Error('history must not build a core'); },
  };
  return { io, out: () => out.join(''), err: () => err.join(''), cores: () => cores };
}

describe('ferry history', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  async function seeded(): Promise<string> {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const { store } = await createSqliteHistoryStores({ dataDir: temp.dir }).open('alice@localhost' as BareJid);
    for (let n = 1; n <= 5; n += 1) store.append(message(n, { at: Date.UTC(2026, 0, 1, 0, 0, n) }));
    store.append(message(6, { direction: 'outgoing', from: 'alice@localhost/ferry', to: 'bob@localhost', body: 'reply\u001b[2J', at: Date.UTC(2026, 0, 1, 0, 0, 6) }));
    store.append(message(7, { peer: 'carol@localhost' as BareJid, from: 'carol@localhost/x' }));
    store.close();
    return temp.dir;
  }

  it('prints the conversation oldest first as JSON lines, without logging in', async () => {
    const dataDir = await seeded();
    const h = harness();
    expect(await runCli(['history', '--jid', 'Alice@localhost/any', '--with', 'bob@localhost', '--json', '--data-dir', dataDir], h.io)).toBe(0);
    const lines = h.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(lines[0]).toEqual({ event: 'message', id: 'm1', from: 'bob@localhost/phone', to: 'alice@localhost/ferry', body: 'hello 1', at: Date.UTC(2026, 0, 1, 0, 0, 1) });
    expect(Object.keys(lines[5])).toEqual(['event', 'id', 'from', 'to', 'body', 'at']);
    expect(h.cores()).toBe(0);
  });

  it('--limit keeps the latest N, still oldest first; text output is one safe line per message', async () => {
    const dataDir = await seeded();
    const h = harness({ FERRY_DATA_DIR: dataDir, FERRY_JID: 'alice@localhost' });
    expect(await runCli(['history', '--with', 'bob@localhost', '--limit', '2'], h.io)).toBe(0);
    expect(h.out()).toBe([
      '2026-01-01T00:00:05.000Z ← bob@localhost/phone: hello 5',
      '2026-01-01T00:00:06.000Z → alice@localhost/ferry: reply\\x1b[2J',
      '',
    ].join('\n'));
  });

  it('an account with no database prints nothing, exits 0 and creates no file', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const h = harness();
    expect(await runCli(['history', '--jid', 'nobody@localhost', '--with', 'bob@localhost', '--data-dir', temp.dir], h.io)).toBe(0);
    expect(h.out()).toBe('');
    expect(h.err()).toContain('No history for nobody@localhost');
    expect(existsSync(join(temp.dir, 'history'))).toBe(false);
  });

  it.each([
    [['history', '--with', 'bob@localhost', '--data-dir', '/tmp/x'], 'missing --jid'],
    [['history', '--jid', 'alice@localhost', '--data-dir', '/tmp/x'], 'missing --with'],
    [['history', '--jid', 'alice@localhost', '--with', 'bob@localhost'], 'no data folder'],
    [['history', '--jid', 'alice@localhost', '--with', 'bob@localhost', '--limit', '0'], '--limit wants an integer'],
  ])('%j exits 2 (%s)', async (argv, text) => {
    const h = harness();
    expect(await runCli(argv, h.io)).toBe(2);
    expect(h.err()).toContain(text);
  });

  it.each([
    [{ HOME: '/home/u' }, [], '/home/u/.local/share/ferry'],
    [{ HOME: '/home/u', XDG_DATA_HOME: '/x' }, [], '/x/ferry'],
    [{ HOME: '/home/u', FERRY_DATA_DIR: '/env/dir' }, [], '/env/dir'],
    [{ HOME: '/home/u' }, ['--data-dir', '/given'], '/given'],
  ])('check hands the core the data folder (env %j, args %j → %s)', async (env, args, expected) => {
    const given: (string | undefined)[] = [];
    const h = harness(env);
    h.io.createCore = (options) => {
      given.push(options.dataDir);
      throw new Error('stop here');
    };
    await runCli(['check', '--jid', 'a@localhost', '--password', 'pw', ...args], h.io);
    expect(given).toEqual([expected]);
  });

  it('is listed in the help with --data-dir among the common options', async () => {
    const h = harness();
    expect(await runCli(['--help'], h.io)).toBe(0);
    expect(h.out()).toMatch(/history +print the stored conversation/);
    expect(h.out()).toContain('--data-dir DIR');
    expect(await runCli(['history', '--help'], h.io)).toBe(0);
    expect(h.out()).toContain('--with JID');
  });
});
