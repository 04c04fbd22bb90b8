import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRequestedFile } from '../../../../electron/app/resumeRequest';
import type { FileRequested } from '../../../../electron/transfer/methods/types';
import type { TransferId, TransferSummary } from '../../../../shared/model/transfer';

const dir = mkdtempSync(join(tmpdir(), 'ferry-requested-'));
const path = join(dir, 'x.bin');
writeFileSync(path, Buffer.alloc(1000, 7));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHA256 = 'a'.repeat(64);

function sent(overrides: Partial<TransferSummary> = {}): TransferSummary {
  return {
    id: 'sent-1' as TransferId, batchId: null, direction: 'outgoing', peer: 'bob@localhost/ferry', state: 'interrupted',
    file: { name: 'x.bin', size: 1000, mediaType: 'application/octet-stream', date: null, description: '', md5: null },
    bytes: 400, rate: 0, etaSeconds: null, method: 'jingle', transport: 'ibb', path, sha256: null, hash: 'none', url: null,
    thumbnail: null, resumedFrom: null, reason: null, attempts: [], startedAt: 1, endedAt: 2, ...overrides,
  };
}
const request = (overrides: Partial<FileRequested> = {}): FileRequested => ({
  from: 'bob@localhost/other', name: 'x.bin', size: 1000, sha256: null, md5: null, offset: 400, ...overrides,
});

describe('which file a peer may ask for again (XEP-0234 §6.2; §9.1 otherwise)', () => {
  it('a file offered to the same bare JID, by name and size, from any of its resources', () => {
    expect(findRequestedFile([sent()], request())).toBe(path);
  });

  it('never a file offered to someone else, nor an incoming one, nor one without a path', () => {
    expect(findRequestedFile([sent({ peer: 'carol@localhost/ferry' })], request())).toBeNull();
    expect(findRequestedFile([sent({ direction: 'incoming' })], request())).toBeNull();
    expect(findRequestedFile([sent({ path: null })], request())).toBeNull();
  });

  it('hashes must agree where both sides know one; a hash alone names a file only when Ferry knows that hash', () => {
    expect(findRequestedFile([sent({ sha256: SHA256 })], request({ sha256: SHA256 }))).toBe(path);
    expect(findRequestedFile([sent({ sha256: SHA256 })], request({ sha256: 'b'.repeat(64) }))).toBeNull();
    expect(findRequestedFile([sent({ sha256: SHA256 })], request({ name: null, size: null, sha256: SHA256 }))).toBe(path);
    expect(findRequestedFile([sent()], request({ name: null, size: null, sha256: SHA256 }))).toBeNull();
  });

  it('another name or size, or a file that changed size on disk since, is not available', () => {
    expect(findRequestedFile([sent()], request({ name: 'y.bin' }))).toBeNull();
    expect(findRequestedFile([sent()], request({ size: 999 }))).toBeNull();
    expect(findRequestedFile([sent({ file: { ...sent().file, size: 999 } })], request({ size: 999 }))).toBeNull();
    expect(findRequestedFile([sent({ path: join(dir, 'gone.bin') })], request())).toBeNull();
  });
});
