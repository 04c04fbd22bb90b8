import { describe, expect, it } from 'vitest';
import type { TransferState, TransferSummary } from '../../../../shared/model/transfer';
import { transferTotals } from '../../../../shared/model/transferTotals';

function t(state: TransferState, bytes: number, size: number, rate = 0): TransferSummary {
  return { state, bytes, rate, file: { size } } as unknown as TransferSummary;
}

describe('transferTotals (the Transfers view and the taskbar agree)', () => {
  it('sums the moving transfers: count, bytes done of total, overall speed as the sum of rates', () => {
    const totals = transferTotals([t('transferring', 100, 400, 50), t('connecting', 0, 600, 0), t('verifying', 300, 300, 25)]);
    expect(totals).toEqual({ active: 3, bytesDone: 400, bytesTotal: 1300, rate: 75, progress: 400 / 1300 });
  });

  it('leaves out ended transfers and unanswered incoming offers; nothing moving is progress -1', () => {
    expect(transferTotals([t('done', 10, 10, 5), t('failed', 3, 10, 9), t('offered', 0, 10)])).toEqual({ active: 0, bytesDone: 0, bytesTotal: 0, rate: 0, progress: -1 });
  });

  it('clamps bytes to the size and ignores a rate that is not a number', () => {
    expect(transferTotals([t('transferring', 150, 100, Number.NaN)])).toMatchObject({ bytesDone: 100, rate: 0, progress: 1 });
  });
});
