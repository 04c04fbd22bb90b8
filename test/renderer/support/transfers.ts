/** TransferSummary fixtures for renderer tests. */
import type { FullJid } from '../../../shared/model/jid';
import type { Attempt, TransferId, TransferSummary } from '../../../shared/model/transfer';

/** A transfer with bob's phone with defaults (incoming photo.jpg, 2 KiB, offered); overrides win. */
export function transfer(overrides: Partial<TransferSummary> = {}): TransferSummary {
  return {
    id: 't1' as TransferId, batchId: null, direction: 'incoming', peer: 'bob@localhost/phone' as FullJid,
    file: { name: 'photo.jpg', size: 2048, mediaType: 'image/jpeg', date: null, description: '', md5: null },
    state: 'offered', bytes: 0, rate: 0, etaSeconds: null, method: null, transport: null, path: null,
    sha256: null, hash: 'none', url: null, thumbnail: null, resumedFrom: null, reason: null, attempts: [], startedAt: 1, endedAt: null,
    ...overrides,
  };
}

/** One attempt-log entry (SI, S5B proxy, failed) with overrides. */
export function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    at: Date.UTC(2025, 0, 2, 10, 0, 0), method: 'si', transport: 's5b-proxy',
    detail: 'proxy dead.localhost 127.0.0.1:9', outcome: 'failed', reason: 'connection refused', ...overrides,
  };
}
