import { describe, expect, it } from 'vitest';
import { TransferRecord } from '../../../../electron/transfer/transferRecord';
import type { TransferId, TransferSummary } from '../../../../shared/model/transfer';

function makeRecord(direction: 'incoming' | 'outgoing' = 'outgoing') {
  let t = 0;
  const record = new TransferRecord({
    id: 't1' as TransferId, direction, peer: 'bob@localhost/x',
    file: { name: 'a.bin', size: 1000, mediaType: 'application/octet-stream', date: null, description: '', md5: null },
    now: () => t,
  });
  const seen: TransferSummary[] = [];
  record.onUpdated((s) => seen.push(s));
  return { record, seen, advance: (ms: number) => { t += ms; } };
}

describe('TransferRecord', () => {
  it('starts incoming offers as offered and outgoing ones as negotiating', () => {
    expect(makeRecord('incoming').record.state).toBe('offered');
    expect(makeRecord('outgoing').record.state).toBe('negotiating');
  });

  it('keeps the first terminal state: a late failure cannot undo done', () => {
    const { record, seen } = makeRecord();
    expect(record.end('done', { path: '/x/a.bin', sha256: 'ab' })).toBe(true);
    expect(record.end('failed', { reason: 'late' })).toBe(false);
    record.setState('transferring');
    expect(record.snapshot()).toMatchObject({ state: 'done', reason: null, path: '/x/a.bin', sha256: 'ab' });
    expect(seen.at(-1)?.state).toBe('done');
  });

  it('never ends a failure without a reason', () => {
    const { record } = makeRecord();
    record.end('cancelled');
    expect(record.snapshot().reason).toBe('cancelled');
  });

  it('logs attempts with their time and outcome, even after the end', () => {
    const { record, advance } = makeRecord();
    advance(5);
    record.log({ method: 'si', transport: 's5b-direct', detail: '127.0.0.1:1', outcome: 'failed', reason: 'refused' });
    record.end('failed', { reason: 'all transports failed' });
    record.log({ method: 'si', transport: 'ibb', detail: '', outcome: 'failed', reason: 'peer closed' });
    expect(record.snapshot().attempts.map((a) => [a.at, a.transport, a.reason])).toEqual([
      [5, 's5b-direct', 'refused'], [5, 'ibb', 'peer closed'],
    ]);
  });

  it('throttles progress events but always reports the last byte', () => {
    const { record, seen, advance } = makeRecord();
    for (let bytes = 10; bytes <= 990; bytes += 10) { advance(5); record.progress(bytes); }
    const progressEvents = seen.length;
    expect(progressEvents).toBeLessThan(10);
    advance(1);
    record.progress(1000);
    expect(seen.at(-1)?.bytes).toBe(1000);
    expect(seen.at(-1)?.etaSeconds).toBe(0);
  });

  it('hands out copies, so a listener cannot change the record', () => {
    const { record } = makeRecord();
    const copy = record.snapshot();
    copy.file.name = 'evil';
    copy.attempts.push({ at: 0, method: 'si', transport: null, detail: '', outcome: 'failed', reason: '' });
    expect(record.snapshot().file.name).toBe('a.bin');
    expect(record.snapshot().attempts).toHaveLength(0);
  });
});
