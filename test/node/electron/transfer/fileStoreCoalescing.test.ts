import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIncomingFile, type IncomingFile } from '../../../../electron/transfer/fileStore';
import { parseSidecar, sidecarPathOf } from '../../../../electron/transfer/resumablePart';
import { FileHasher } from '../../../../electron/transfer/hashWorker';

// The file store gathers small chunks into one disk write (and one hash update) of up to 1 MiB. These tests
// pin what that must not change: a producer may reuse its buffer once a write's callback fired, and a kept
// .part holds every byte whose callback fired, exactly once.

const data = randomBytes(3 * 1024 * 1024 + 12_345);
const sha256 = createHash('sha256').update(data).digest('hex');
const identity = { from: 'alice@localhost', name: 'big.bin', size: data.length, sha256, md5: null, date: null };

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ferry-coalesce-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

function write(sink: IncomingFile, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => { sink.write(bytes, (error) => (error ? reject(error) : resolve())); });
}

/** Odd chunk sizes (1 byte … 70 KiB, and one over 1 MiB), cycling, so chunks straddle the staging buffer's end. */
function* chunkSizes(): Generator<number> {
  const sizes = [1, 4093, 16_384, 65_536, 70_001, 1_200_000, 333];
  for (let i = 0; ; i += 1) yield sizes[i % sizes.length];
}

describe('IncomingFile coalesces small writes', () => {
  it('copies each chunk before its callback: a producer that reuses one buffer still gets the right file', async () => {
    const sink = await createIncomingFile({ dir, name: 'big.bin', expectedSize: data.length });
    const scratch = Buffer.alloc(1_200_000);
    let offset = 0;
    for (const size of chunkSizes()) {
      if (offset >= data.length) break;
      const n = Math.min(size, data.length - offset);
      data.copy(scratch, 0, offset, offset + n);
      await write(sink, scratch.subarray(0, n));
      scratch.fill(0xee); // the producer reuses its buffer once the callback fired
      offset += n;
    }
    const done = await sink.commit();
    expect(done.sha256).toBe(sha256);
    expect(createHash('sha256').update(await readFile(done.path)).digest('hex')).toBe(sha256);
  });

  it('keepForResume writes what is staged: the .part holds every acknowledged byte and the sidecar says so', async () => {
    const sink = await createIncomingFile({ dir, name: 'big.bin', expectedSize: data.length, identity });
    for (let offset = 0; offset < 200_000; offset += 20_000) await write(sink, data.subarray(offset, offset + 20_000));
    expect(await sink.keepForResume()).toBe(true);
    const onDisk = await readFile(sink.partPath);
    expect(onDisk.length).toBe(200_000);
    expect(onDisk.equals(data.subarray(0, 200_000))).toBe(true);
    expect(parseSidecar(await readFile(sidecarPathOf(sink.partPath), 'utf8'))?.bytes).toBe(200_000);
  });

  it('keepForResume during a write of the staged bytes writes them once, not twice', async () => {
    const sink = await createIncomingFile({ dir, name: 'big.bin', expectedSize: data.length, identity });
    for (let offset = 0; offset < 200_000; offset += 20_000) await write(sink, data.subarray(offset, offset + 20_000));
    // 200 KB staged + 900 KB does not fit: the staged bytes go to the disk now, and the transfer stops meanwhile.
    const last = write(sink, data.subarray(200_000, 1_100_000)).catch(() => undefined);
    expect(await sink.keepForResume()).toBe(true);
    await last;
    const onDisk = await readFile(sink.partPath);
    expect(onDisk.length).toBeGreaterThanOrEqual(200_000);
    expect(onDisk.equals(data.subarray(0, onDisk.length))).toBe(true);
    expect(parseSidecar(await readFile(sidecarPathOf(sink.partPath), 'utf8'))?.bytes).toBe(onDisk.length);
    expect((await stat(sink.partPath)).size).toBe(onDisk.length);
  });

  /** The chunks the hasher was given while `chunks` were written, and the file's sha-256. */
  async function hashedChunks(chunks: Uint8Array[]): Promise<{ hashed: Uint8Array[]; sha256: string }> {
    const update = vi.spyOn(FileHasher.prototype, 'update');
    try {
      const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      const sink = await createIncomingFile({ dir, name: 'big.bin', expectedSize: size });
      for (const chunk of chunks) await write(sink, chunk);
      const done = await sink.commit();
      return { hashed: update.mock.calls.flatMap(([parts]) => [...parts]), sha256: done.sha256 };
    } finally {
      update.mockRestore();
    }
  }

  const twentyKiB = (from: Uint8Array): Uint8Array[] => Array.from({ length: 10 }, (_, n) => from.subarray(n * 20_000, (n + 1) * 20_000));

  it('stages a socket ring\'s chunks (shared memory) in shared memory, so sha-256 runs on the hashing thread', async () => {
    const shared = Buffer.from(new SharedArrayBuffer(200_000));
    data.copy(shared, 0, 0, 200_000);
    const { hashed, sha256: got } = await hashedChunks(twentyKiB(shared));
    expect(got).toBe(createHash('sha256').update(data.subarray(0, 200_000)).digest('hex'));
    expect(hashed.length).toBeGreaterThan(0);
    expect(hashed.every((chunk) => chunk.buffer instanceof SharedArrayBuffer)).toBe(true);
  });

  it('stages plain chunks (an HTTP body, IBB blocks) in plain memory, hashed on this thread without a round trip', async () => {
    const { hashed, sha256: got } = await hashedChunks(twentyKiB(data));
    expect(got).toBe(createHash('sha256').update(data.subarray(0, 200_000)).digest('hex'));
    expect(hashed.length).toBeGreaterThan(0);
    expect(hashed.some((chunk) => chunk.buffer instanceof SharedArrayBuffer)).toBe(false);
  });

  it('abort drops what is staged with the .part', async () => {
    const sink = await createIncomingFile({ dir, name: 'big.bin', expectedSize: data.length, identity });
    await write(sink, data.subarray(0, 5000));
    await sink.abort();
    await expect(stat(sink.partPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
