import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../../shared/model/jid';
import { openHistoryDatabase } from '../../../../../electron/store/sqlite/openHistoryDatabase';
import { historyPath } from '../../../../../electron/store/sqlite/sqliteHistoryStores';
import { FLUSH_BATCH_SIZE } from '../../../../../electron/store/sqlite/sqliteHistoryStore';
import { tempDir } from '../../../../support/historyFixtures';

const root = resolve(__dirname, '..', '..', '..', '..', '..');
const JITI = resolve(root, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs');
const CHILD = resolve(__dirname, 'fixtures', 'writeBurst.ts');
/** Commits the child must report before it is killed. */
const COMMITS_BEFORE_KILL = 5;

describe('a process killed while writing history', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('leaves a database that opens again with whole transactions only (SIGKILL mid-burst)', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const child = spawn(process.execPath, [JITI, CHILD, temp.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const lastReported = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`no commits in time; stderr: ${stderr}`)); }, 20_000);
      let lines = 0;
      let last = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          last = Number(line.split(' ')[1]);
          lines += 1;
        }
        if (lines >= COMMITS_BEFORE_KILL) {
          clearTimeout(timer);
          child.kill('SIGKILL'); // mid-burst: the child is inside its next transaction or about to be
          done(last);
        }
      });
      child.on('exit', (code) => { if (lines < COMMITS_BEFORE_KILL) { clearTimeout(timer); fail(new Error(`child exited ${code}: ${stderr}`)); } });
    });
    await new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done(null) : child.once('exit', done)));
    expect(child.signalCode).toBe('SIGKILL');

    const { db, notice } = await openHistoryDatabase(historyPath(temp.dir, 'alice@localhost' as BareJid));
    expect(notice).toBeNull(); // not damaged: nothing moved aside
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    const { n, max } = db.prepare('SELECT count(*) AS n, max(at) AS max FROM messages').get() as { n: number; max: number };
    expect(n % FLUSH_BATCH_SIZE).toBe(0); // whole batches only
    expect(n).toBeGreaterThanOrEqual(lastReported); // every reported commit survived
    expect(max).toBe(n - 1); // and no gaps
    db.close();
  }, 30_000);
});
