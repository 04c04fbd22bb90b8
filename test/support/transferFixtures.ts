import type { TransferId, TransferSummary } from '../../shared/model/transfer';

/** A transfer summary with defaults; `n` makes id, name, bytes and start time distinct. */
export function summary(n: number, overrides: Partial<TransferSummary> = {}): TransferSummary {
  return {
    id: `t${n}` as TransferId, batchId: null, direction: 'incoming', peer: 'bob@localhost/ferry',
    file: { name: `f${n}.bin`, size: 1000, mediaType: 'application/octet-stream', date: null, description: '', md5: null },
    state: 'transferring', bytes: 10 * n, rate: 5, etaSeconds: 3, method: 'jingle', transport: 'ibb', path: null, sha256: null,
    hash: 'none', url: null, thumbnail: null, resumedFrom: null, reason: null, partPath: `/tmp/f${n}.bin.part`,
    attempts: [{ at: 1, method: 'jingle', transport: 'ibb', detail: 'in-band', outcome: 'started', reason: '' }],
    startedAt: 100 + n, endedAt: null, ...overrides,
  };
}
