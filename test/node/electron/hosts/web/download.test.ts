import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadableFile } from '../../../../../electron/hosts/web/download';
import type { TransferSummary } from '../../../../../shared/model/transfer';

describe('contentDisposition (RFC 6266 §4.3 filename and filename*, RFC 8187 §3.2.1)', () => {
  it.each([
    ['plain.txt', `attachment; filename="plain.txt"; filename*=UTF-8''plain.txt`],
    ['été (1).jpg', `attachment; filename="_t_ (1).jpg"; filename*=UTF-8''%C3%A9t%C3%A9%20%281%29.jpg`],
    ['a"b%.txt', `attachment; filename="a_b_.txt"; filename*=UTF-8''a_b%25.txt`],
    ["it's(1).bin", `attachment; filename="it's(1).bin"; filename*=UTF-8''it%27s%281%29.bin`],
    ['../../etc/passwd', `attachment; filename="passwd"; filename*=UTF-8''passwd`],
  ])('%s', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});

describe('downloadableFile', () => {
  const done = { id: 'a', direction: 'incoming', state: 'done', path: '/dl/a' } as TransferSummary;
  it('finds only a done incoming transfer with a path, by id', () => {
    expect(downloadableFile([done], 'a')).toBe('/dl/a');
    expect(downloadableFile([done], null)).toBeNull();
    expect(downloadableFile([{ ...done, direction: 'outgoing' }], 'a')).toBeNull();
    expect(downloadableFile([{ ...done, state: 'transferring' }], 'a')).toBeNull();
    expect(downloadableFile([{ ...done, path: null }], 'a')).toBeNull();
  });
});
