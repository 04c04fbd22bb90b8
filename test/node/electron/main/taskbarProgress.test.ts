import { describe, expect, it, vi } from 'vitest';
import { aggregateProgress, trackTaskbarProgress } from '../../../../electron/main/taskbarProgress';
import type { TransferState, TransferSummary } from '../../../../shared/model/transfer';
import { createFakeCore } from '../../../fakes/fakeCore';

function transfer(id: string, state: TransferState, bytes: number, size: number): TransferSummary {
  return { id, state, bytes, file: { size } } as unknown as TransferSummary;
}

describe('aggregateProgress', () => {
  it.each<[string, TransferSummary[], number]>([
    ['nothing', [], -1],
    ['only an unanswered offer', [transfer('a', 'offered', 0, 100)], -1],
    ['only finished transfers', [transfer('a', 'done', 100, 100), transfer('b', 'failed', 5, 100)], -1],
    ['one half done', [transfer('a', 'transferring', 50, 100)], 0.5],
    ['two weighted by size', [transfer('a', 'transferring', 100, 100), transfer('b', 'connecting', 0, 300)], 0.25],
    ['terminal ones ignored', [transfer('a', 'transferring', 30, 100), transfer('b', 'done', 900, 900)], 0.3],
    ['unknown size', [transfer('a', 'negotiating', 0, 0)], 0],
    ['bytes beyond size clamp', [transfer('a', 'verifying', 150, 100)], 1],
  ])('%s', (_title, transfers, expected) => {
    expect(aggregateProgress(transfers)).toBeCloseTo(expected);
  });
});

describe('trackTaskbarProgress', () => {
  it('follows transfer.updated, skips repeats and removes the bar when all end and on dispose', () => {
    const core = createFakeCore();
    const window = { setProgressBar: vi.fn(), isDestroyed: () => false };
    const dispose = trackTaskbarProgress({ core, window });
    core.emit('transfer.updated', transfer('a', 'transferring', 25, 100));
    core.emit('transfer.updated', transfer('b', 'transferring', 75, 100));
    core.emit('transfer.updated', transfer('b', 'transferring', 75, 100));
    core.emit('transfer.updated', transfer('a', 'done', 100, 100));
    core.emit('transfer.updated', transfer('b', 'cancelled', 75, 100));
    expect(window.setProgressBar.mock.calls.map(([value]) => value)).toEqual([0.25, 0.5, 0.75, -1]);
    core.emit('transfer.updated', transfer('c', 'transferring', 10, 100));
    dispose();
    dispose();
    expect(window.setProgressBar).toHaveBeenLastCalledWith(-1);
    expect(core.listenerCount()).toBe(0);
  });
});
