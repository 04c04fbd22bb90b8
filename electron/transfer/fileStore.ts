/**
 * The download-folder store of DESIGN.md "Where files go": incoming bytes go to `<dir>/<safe name>.part`
 * (created exclusively), are hashed while they stream, and on commit get a name that overwrites
 * nothing; on abort the .part is deleted. A transfer that was interrupted may keep its .part for a resume
 * instead (keepForResume, ./resumablePart.ts); a new offer of the same file appends to it, after its bytes
 * went through the hasher again. Nothing is ever created outside `dir`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { FileHasher, type HashAlgorithm } from './hashWorker';
import { mediaTypeFor } from './mediaType';
import { nodePublishFs, publish, type PublishFs } from './publishFile';
import { markDownloaded } from './quarantine';
import { claimResumablePart, feedPrefix, removeSidecar, writeSidecar, type PartIdentity, type ResumablePart } from './resumablePart';
import { StagedWriter } from './stagedWriter';
import { childPath, errorCode, FileStoreError, MAX_NAME_ATTEMPTS } from './storePaths';
import { numberedFileName, sanitizeFileName } from './safeName';

/** Bytes the sink buffers before write() asks the producer to wait (backpressure). */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
/** Read size for hashing outgoing files. */
const HASH_READ_BYTES = 1024 * 1024;
const PART_SUFFIX = '.part';

export { FileStoreError, MAX_NAME_ATTEMPTS, type FileStoreErrorCode } from './storePaths';
export type { PublishFs } from './publishFile';
export type { PartIdentity } from './resumablePart';

/** A finished incoming file. */
export interface CommittedFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
  /** md5 hex when asked for (to check XEP-0096's hash attribute), else null. */
  md5: string | null;
}

/** Opens `<name>.part`, `<name (1)>.part` … exclusively ('wx'): an existing file is never reused. */
async function createPartFile(dir: string, safeName: string): Promise<{ handle: FileHandle; path: string }> {
  for (let n = 0; n < MAX_NAME_ATTEMPTS; n += 1) {
    const path = childPath(dir, numberedFileName(safeName, n) + PART_SUFFIX);
    try {
      return { handle: await open(path, 'wx'), path };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
  throw new FileStoreError('no-free-name', `no free .part name for ${safeName}`);
}

/**
 * A writable sink for one incoming file. Pipe the transport into it (backpressure as any Writable),
 * then commit() or abort(). Each chunk is written (libuv's thread pool) and hashed (the hashing thread,
 * ./hashWorker.ts) at the same time, and its write callback fires only when both are done with it: a
 * chunk in shared memory may be reused by its producer from then on.
 */
export class IncomingFile extends Writable {
  private readonly hasher: FileHasher;
  private written: number;
  private readonly disk: StagedWriter;
  private state: 'open' | 'committing' | 'committed' | 'aborted' | 'kept' = 'open';

  constructor(
    private readonly handle: FileHandle,
    readonly partPath: string,
    private readonly target: IncomingTarget,
    private readonly fs: PublishFs = nodePublishFs,
    private readonly markFile: (path: string) => Promise<unknown> = markDownloaded,
  ) {
    super({ highWaterMark: WRITE_BUFFER_BYTES, decodeStrings: true });
    const algorithms: HashAlgorithm[] = target.md5 ? ['sha256', 'md5'] : ['sha256'];
    this.hasher = new FileHasher(algorithms);
    this.disk = new StagedWriter(handle, (chunks) => this.hasher.update(chunks));
    this.written = target.offset;
  }

  /** Bytes the .part held before this transfer (a resumed file); the stream brings the rest. */
  get offset(): number {
    return this.target.offset;
  }

  /** A resumed file: hashes the bytes already in the .part, streamed from the disk, before any new one. */
  async hashExisting(): Promise<void> {
    await feedPrefix(this.partPath, this.target.offset, (chunk) => this.hasher.update([chunk]));
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.written;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.take([chunk]).then(() => callback(), callback);
  }

  override _writev(entries: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.take(entries.map((entry) => entry.chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.disk.flush().then(() => this.handle.close()).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // After a clean finish (autoDestroy) commit() still needs the digest; on failure the state goes.
    if (error) this.hasher.dispose();
    // A kept .part gets what is staged too: every write callback that fired stands for bytes on disk.
    const kept = this.state === 'kept' ? this.disk.writeStagedUnhashed() : Promise.resolve();
    // close() of an already closed handle rejects; either way the descriptor is released.
    kept.catch(() => undefined).then(() => this.handle.close()).catch(() => undefined).finally(() => callback(error));
  }

  /**
   * Counts and bounds the bytes, then hands them to the disk (./stagedWriter.ts). What is staged is written
   * by _final, and by keepForResume (the .part must hold every byte whose write callback fired); abort drops
   * it with the file.
   */
  private async take(chunks: Buffer[]): Promise<void> {
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (this.target.expectedSize !== null && this.written + total > this.target.expectedSize) {
      throw new FileStoreError('too-many-bytes', `more than the ${this.target.expectedSize} bytes announced`);
    }
    this.written += total;
    await this.disk.take(chunks, () => this.destroyed);
  }

  /**
   * Ends the stream, checks the size (and the md5 when `expectedMd5` is given: XEP-0096's hash
   * attribute; the sha-256 `expectedSha256` gives once the file's own is known: Jingle's XEP-0300
   * checksum may arrive after the data), and renames the .part to a free name in dir. On any failure the
   * .part is deleted and the error rethrown: nothing half-written or damaged is ever presented as done.
   */
  async commit(options: { expectedMd5?: string | null; expectedSha256?: () => Promise<string | null> } = {}): Promise<CommittedFile> {
    if (this.state !== 'open') throw new FileStoreError('aborted', `cannot commit a ${this.state} file`);
    this.state = 'committing';
    try {
      if (!this.writableEnded) this.end();
      await finished(this);
      if (this.target.expectedSize !== null && this.written !== this.target.expectedSize) {
        throw new FileStoreError('size-mismatch', `got ${this.written} of ${this.target.expectedSize} bytes`);
      }
      const digests = await this.hasher.digest();
      const md5 = digests.md5 ?? null;
      const expectedMd5 = options.expectedMd5?.toLowerCase();
      if (expectedMd5 && md5 !== expectedMd5) {
        throw new FileStoreError('hash-mismatch', `the file arrived damaged: md5 ${md5 ?? 'not computed'} but the sender announced ${expectedMd5}`);
      }
      const expectedSha256 = (await options.expectedSha256?.())?.toLowerCase();
      if (expectedSha256 && digests.sha256 !== expectedSha256) {
        throw new FileStoreError('hash-mismatch', `the file arrived damaged: sha-256 ${digests.sha256} but the sender announced ${expectedSha256}`);
      }
      // Windows Zone.Identifier / macOS quarantine, so the OS checks the file when it is opened. On the
      // .part, before it has its name: the mark belongs to the file and survives link() and rename().
      await this.markFile(this.partPath).catch(() => undefined);
      const path = await publish(this.target.dir, this.partPath, this.target.safeName, this.fs);
      this.state = 'committed';
      await removeSidecar(this.partPath).catch(() => undefined);
      return { path, name: basename(path), size: this.written, sha256: digests.sha256, md5 };
    } catch (error) {
      this.state = 'open';
      await this.abort();
      throw error;
    }
  }

  /**
   * Stops writing and deletes the .part. Idempotent; does nothing once commit() is under way (it
   * finishes or cleans up by itself) or done, or once the .part was kept.
   */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    this.stopWriting();
    await deletePart(this.partPath);
  }

  /**
   * Stops writing and keeps the .part for a resume, with its sidecar (./resumablePart.ts) recording the
   * bytes it holds once every write has settled (the size on disk, which is what a resume appends to).
   * Deletes it instead when there is nothing worth keeping: no identity to match a new offer against, no
   * byte, or already every byte (a range cannot ask for nothing). Resolves true when kept. Like abort(),
   * does nothing once commit() is under way.
   */
  async keepForResume(): Promise<boolean> {
    if (this.state !== 'open') return false;
    this.state = 'kept';
    const closed = new Promise<void>((resolve) => { if (this.closed) resolve(); else this.once('close', () => resolve()); });
    this.stopWriting();
    await closed; // the handle is closed after its pending writes completed: the size on disk is final
    const identity = this.target.identity;
    const bytes = await stat(this.partPath).then((info) => info.size, () => 0);
    if (!identity || bytes === 0 || this.target.expectedSize === null || bytes >= this.target.expectedSize) {
      await deletePart(this.partPath);
      return false;
    }
    try {
      await writeSidecar(this.partPath, identity, bytes);
    } catch (error) {
      await deletePart(this.partPath).catch(() => undefined);
      throw error;
    }
    return true;
  }

  private stopWriting(): void {
    if (this.destroyed) return;
    // Suppress the stream 'error' event: the caller already knows it is stopping.
    this.once('error', () => undefined);
    this.destroy(new FileStoreError('aborted', 'aborted'));
  }
}

/** Where an IncomingFile publishes to, what it checks, and what identifies it for a resume. */
interface IncomingTarget {
  dir: string;
  safeName: string;
  /** null: no size is known, and the caller bounds the bytes (receiveUntilEnd). */
  expectedSize: number | null;
  md5: boolean;
  /** Bytes already in the .part (a resume), 0 for a new one. */
  offset: number;
  /** Written into the sidecar when the .part is kept; null: never kept. */
  identity: PartIdentity | null;
}

async function deletePart(partPath: string): Promise<void> {
  await removeSidecar(partPath).catch(() => undefined);
  await unlink(partPath).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}

/**
 * A file a crash could interrupt is marked from its first byte: an open sidecar naming this process, so
 * that after a crash (no keepForResume ran) the next offer still finds it. Only with a whole-file hash, the
 * only way to be sure the bytes a crash left are the right ones.
 */
async function markOpen(file: IncomingFile, identity: PartIdentity | null): Promise<IncomingFile> {
  if (identity && (identity.sha256 !== null || identity.md5 !== null)) {
    await writeSidecar(file.partPath, identity, 0, { pid: process.pid }).catch(() => undefined);
  }
  return file;
}

/**
 * Reopens a kept .part for appending and runs its bytes through the hasher. Null when that fails (the part
 * was claimed, so it is ours to delete): the caller starts a new file instead.
 */
async function resumeIncomingFile(part: ResumablePart, target: IncomingTarget, seams: Seams): Promise<IncomingFile | null> {
  let handle: FileHandle;
  try { handle = await open(part.partPath, 'a'); } catch { await deletePart(part.partPath).catch(() => undefined); return null; }
  const file = new IncomingFile(handle, part.partPath, { ...target, offset: part.offset }, seams.publishFs, seams.markFile);
  try {
    await file.hashExisting();
    return file;
  } catch {
    await file.abort().catch(() => undefined);
    return null;
  }
}

interface Seams {
  publishFs?: PublishFs;
  markFile?: (path: string) => Promise<unknown>;
}

/**
 * Creates `<dir>/<sanitized name>.part` (dir is created if missing) and returns its sink. The name is
 * untrusted and sanitized here; expectedSize bounds what may be written. With `resume`, a kept .part of
 * the same file (resumablePart.ts isSameFile) is reopened instead when there is one: the sink's `offset`
 * says how many bytes it already holds.
 */
export async function createIncomingFile(options: Seams & {
  dir: string;
  name: string;
  expectedSize: number | null;
  md5?: boolean;
  /** What identifies this file: recorded when the .part is kept (keepForResume); without it nothing is kept. */
  identity?: PartIdentity;
  /** Look for a kept .part of the same file to append to (the sender can send a range). */
  resume?: boolean;
}): Promise<IncomingFile> {
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const safeName = sanitizeFileName(options.name);
  const target: IncomingTarget = {
    dir, safeName, expectedSize: options.expectedSize, md5: options.md5 ?? false, offset: 0, identity: options.identity ?? null,
  };
  const kept = options.resume && options.identity ? await claimResumablePart(dir, options.identity) : null;
  const resumed = kept ? await resumeIncomingFile(kept, target, options) : null;
  if (resumed) return await markOpen(resumed, target.identity);
  const { handle, path } = await createPartFile(dir, safeName);
  return await markOpen(new IncomingFile(handle, path, target, options.publishFs, options.markFile), target.identity);
}

/** What an offer needs to know about a file to send. */
export interface OutgoingFile {
  path: string;
  name: string;
  size: number;
  /** Last modification, ISO 8601 (XEP-0082 DateTime). */
  mtime: string;
  mediaType: string;
}

/** Stats a file to send; directories and other non-regular files are refused. */
export async function openOutgoingFile(path: string): Promise<OutgoingFile> {
  const absolute = resolve(path);
  const info = await stat(absolute);
  if (!info.isFile()) throw new FileStoreError('not-a-file', `${absolute} is not a regular file`);
  const name = basename(absolute);
  return { path: absolute, name, size: info.size, mtime: info.mtime.toISOString(), mediaType: mediaTypeFor(name) };
}

/** md5 hex of a file, streamed in 1 MiB reads: for XEP-0096's hash attribute. */
export async function md5OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  const stream = createReadStream(path, { highWaterMark: HASH_READ_BYTES, signal });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
