import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileHasher } from '../../../../electron/transfer/hashWorker';
import { MIB, randomPayload } from '../../../support/transportHelpers';

function expected(parts: Uint8Array[]): { sha256: string; md5: string } {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  for (const part of parts) { sha.update(part); md5.update(part); }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex') };
}

function shared(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

describe('FileHasher', () => {
  it('hashes chunks in shared memory on the hashing thread, and may reuse the memory once update resolved', async () => {
    const parts = [randomPayload(3 * MIB), randomPayload(MIB + 17), randomPayload(5)];
    const slot = Buffer.from(new SharedArrayBuffer(4 * MIB));
    const hasher = new FileHasher(['sha256', 'md5']);
    for (const part of parts) {
      part.copy(slot);
      await hasher.update([slot.subarray(0, part.length)]);
      slot.fill(0xee); // the worker has read it: overwriting must not change the hash
    }
    expect(await hasher.digest()).toEqual(expected(parts));
  });

  it('hashes ordinary buffers inline with the same result (IBB blocks)', async () => {
    const parts = [randomPayload(4096), randomPayload(65535), randomPayload(1)];
    const hasher = new FileHasher(['sha256']);
    for (const part of parts) await hasher.update([part]);
    expect((await hasher.digest()).sha256).toBe(expected(parts).sha256);
  });

  it('keeps the order when shared and ordinary chunks are mixed, either one first', async () => {
    const parts = [randomPayload(1000), randomPayload(2 * MIB), randomPayload(333), randomPayload(MIB)];
    for (const sharedFirst of [true, false]) {
      const hasher = new FileHasher(['sha256', 'md5']);
      const chunks = parts.map((part, index) => ((index % 2 === 0) === sharedFirst ? shared(part) : part));
      await hasher.update(chunks.slice(0, 2));
      await hasher.update(chunks.slice(2));
      expect(await hasher.digest()).toEqual(expected(parts));
    }
  });

  it('gives the hash of nothing when nothing came, and skips empty chunks', async () => {
    const hasher = new FileHasher(['sha256']);
    await hasher.update([new Uint8Array(0), shared(new Uint8Array(0))]);
    expect((await hasher.digest()).sha256).toBe(createHash('sha256').digest('hex'));
  });

  it('keeps files apart: two hashers on the same thread, interleaved', async () => {
    const [a, b] = [randomPayload(2 * MIB), randomPayload(2 * MIB)];
    const [ha, hb] = [new FileHasher(['sha256']), new FileHasher(['sha256'])];
    await Promise.all([ha.update([shared(a.subarray(0, MIB))]), hb.update([shared(b.subarray(0, MIB))])]);
    await Promise.all([hb.update([shared(b.subarray(MIB))]), ha.update([shared(a.subarray(MIB))])]);
    expect((await ha.digest()).sha256).toBe(expected([a]).sha256);
    expect((await hb.digest()).sha256).toBe(expected([b]).sha256);
  });

  it('forgets a disposed file: its digest fails instead of giving a wrong hash', async () => {
    const hasher = new FileHasher(['sha256']);
    await hasher.update([shared(randomPayload(1024))]);
    hasher.dispose();
    hasher.dispose();
    await expect(hasher.digest()).rejects.toThrow(/hashing failed/);
  });
});
