import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BareJid } from '../../shared/model/jid';
import type { HistoryMessage } from '../../electron/store/historyStore';

/** A temp folder per test, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A message with defaults; `n` makes id, body and time distinct. */
export function message(n: number, overrides: Partial<HistoryMessage> = {}): HistoryMessage {
  return {
    id: `m${n}`, peer: 'bob@localhost' as BareJid, direction: 'incoming', from: 'bob@localhost/phone', to: 'alice@localhost/ferry',
    body: `hello ${n}`, at: 1_000 + n, originId: null, stanzaId: null, ...overrides,
  };
}
