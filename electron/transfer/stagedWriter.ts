/**
 * The disk side of an incoming file (./fileStore.ts IncomingFile): writes chunks at the file's position and
 * hashes them, gathering small chunks into one write and one hash update.
 *
 * Hand-written rather than fs.createWriteStream: the hash must see exactly the bytes written, side by side
 * with the write, and a stopped transfer must be able to write what is staged (keepForResume) or drop it.
 */
import type { FileHandle } from 'node:fs/promises';

/**
 * Chunks smaller than this are copied together and written (and hashed) as one: a socket or an HTTP body
 * delivers 16–64 KiB at a time, and one disk write plus one hash round trip per such chunk cost more CPU
 * than the copy (bench/README.md, "Seventh session").
 */
export const COALESCE_BYTES = 1024 * 1024;

export class StagedWriter {
  /** Small chunks gathered for one write; allocated on the first small chunk, of that chunk's kind (stagingFor). */
  private staging: Buffer | null = null;
  private staged = 0;
  /** The disk write under way, if any (writes never overlap: each appends at the file's position). */
  private inFlight: Promise<void> | null = null;
  /** A write failed: what is staged is never written after it (the file's tail is unknown). */
  private hasWriteFailed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly hash: (chunks: Uint8Array[]) => Promise<void>,
  ) {}

  /**
   * Takes chunks: small ones are copied into the staging buffer (so their producer may reuse them as soon
   * as this resolves), a full buffer or a large chunk is written. Returns early, writing nothing more,
   * once isStopped() says the file was stopped meanwhile.
   */
  async take(chunks: Uint8Array[], isStopped: () => boolean): Promise<void> {
    for (const chunk of chunks) {
      if (chunk.length >= COALESCE_BYTES) {
        await this.flush();
        if (isStopped()) return;
        await this.write([chunk]);
        continue;
      }
      if (this.staged + chunk.length > COALESCE_BYTES) await this.flush();
      if (isStopped()) return;
      this.staging ??= stagingFor(chunk);
      this.staging.set(chunk, this.staged);
      this.staged += chunk.length;
    }
  }

  /** Writes and hashes what is staged; the buffer is free again once both are done with it. */
  async flush(): Promise<void> {
    if (this.staged === 0 || !this.staging) return;
    const bytes = this.staging.subarray(0, this.staged);
    this.staged = 0; // before the write: a writeStagedUnhashed() meanwhile must not write these bytes twice
    await this.write([bytes]);
  }

  /**
   * For a stopped file that is kept: after the write under way (take() starts no other once stopped), the
   * staged bytes, not hashed (a resume hashes the .part again). Nothing after a failed write.
   */
  async writeStagedUnhashed(): Promise<void> {
    for (let round = 0; this.inFlight && round < 3; round += 1) await this.inFlight;
    if (this.hasWriteFailed || this.inFlight || this.staged === 0 || !this.staging) return;
    await writeAll(this.handle, [this.staging.subarray(0, this.staged)]);
    this.staged = 0;
  }

  private async write(chunks: Uint8Array[]): Promise<void> {
    // Disk write and hashing run side by side, both off the main thread; wait for both either way, so
    // that no one still reads a chunk when its callback fires.
    const writing = writeAll(this.handle, chunks).catch((error: unknown) => { this.hasWriteFailed = true; throw error; });
    this.inFlight = writing.then(() => undefined, () => undefined).finally(() => { this.inFlight = null; });
    const [written, hashing] = await Promise.allSettled([writing, this.hash(chunks)]);
    if (written.status === 'rejected') throw written.reason;
    if (hashing.status === 'rejected') throw hashing.reason;
  }
}

/**
 * The staging buffer for a producer whose chunks look like `first`. A socket ring's chunks (shared memory,
 * transport/socketRing.ts) are staged in shared memory, so their sha-256 runs on the hashing thread
 * (hashWorker.ts), where the ring's pace needs it: there the main thread is what limits the transfer. Every
 * other producer (an HTTP body, IBB blocks, an accepted socket) is staged in plain memory and hashed inline:
 * those arrive slower than this thread hashes (about 1.4 GB/s here), and the round trips to the thread cost
 * more CPU than the hash (bench/README.md, "Ninth session": 0.15–0.3 CPU-s less per 256 MiB GET).
 */
function stagingFor(first: Uint8Array): Buffer {
  return first.buffer instanceof SharedArrayBuffer ? Buffer.from(new SharedArrayBuffer(COALESCE_BYTES)) : Buffer.allocUnsafeSlow(COALESCE_BYTES);
}

/**
 * Writes every byte of chunks at the current position, however the kernel splits the writes. Empty
 * chunks are skipped (a write of 0 bytes would otherwise read as "no progress").
 */
async function writeAll(handle: FileHandle, chunks: Uint8Array[]): Promise<void> {
  let pending = chunks.filter((chunk) => chunk.length > 0);
  while (pending.length > 0) {
    const { bytesWritten } = pending.length === 1 ? await handle.write(pending[0]) : await handle.writev(pending);
    if (bytesWritten === 0) throw new Error('file write made no progress');
    pending = dropBytes(pending, bytesWritten);
  }
}

function dropBytes(chunks: Uint8Array[], count: number): Uint8Array[] {
  let left = count;
  let index = 0;
  while (index < chunks.length && left >= chunks[index].length) left -= chunks[index++].length;
  const rest = chunks.slice(index);
  if (rest.length > 0 && left > 0) rest[0] = rest[0].subarray(left);
  return rest;
}
