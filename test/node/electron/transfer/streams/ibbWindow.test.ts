import { describe, expect, it } from 'vitest';
import { ibbWindow } from '../../../../../electron/transfer/streams/ibbSession';

describe('ibbWindow (XEP-0047: several <iq/> blocks may be unacknowledged at once)', () => {
  it('keeps 64 blocks of 4096 and 33 of 65535 in flight', () => {
    expect([ibbWindow(4096), ibbWindow(65535)]).toEqual([64, 33]);
  });

  it.each([1, 512, 4096, 16384, 40000, 65535])('stays within 32..64 blocks and covers ~2 MiB where it can (block-size %i)', (blockSize) => {
    const window = ibbWindow(blockSize);
    expect(window).toBeGreaterThanOrEqual(32);
    expect(window).toBeLessThanOrEqual(64);
    expect(window * blockSize >= 2 * 1024 * 1024 || window === 64).toBe(true);
  });
});
