/**
 * The bytes of a file to send, read into a ring of shared memory and hashed (sha-256) on the hashing
 * thread while the transport writes the very same memory (issue 3 bench: S5B direct; the sender's record
 * carries the sha-256 of what went out). No allocation per read: a slot is read into again only after
 * the hash has read it and the transport has handed the chunk back (LendingReadable, byteStream.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { LendingReadable } from '../transport/byteStream';
import { FileHasher } from './hashWorker';

/** Bytes per read (one chunk) and chunks that may be out at once. */
export const SOURCE_SLOT_BYTES = 1024 * 1024;
export const SOURCE_SLOTS = 8;

/** Reads `length` bytes of `path` from `start`; `digest()` after the end gives their sha-256. */
export class SharedFileSource extends Readable implements LendingReadable {
  private readonly memory = Buffer.from(new SharedArrayBuffer(SOURCE_SLOT_BYTES * SOURCE_SLOTS));
  /** Per slot: how many of (hash, transport) still hold it. */
  private readonly holds = new Array<number>(SOURCE_SLOTS).fill(0);
  /** Slots lent to the transport, oldest first, with the bytes of each not yet given back. */
  private readonly lent: { slot: number; bytes: number }[] = [];
  private readonly hasher = new FileHasher(['sha256']);
  private handle: FileHandle | null = null;
  private nextSlot = 0;
  private position: number;
  private remaining: number;
  private isReading = false;
  private wantsMore = false;
  private isEnded = false;

  constructor(private readonly path: string, range: { start: number; length: number }) {
    // One chunk buffered at most: Readable#read (for await) would otherwise join buffered chunks into a
    // fresh copy. Flowing consumers ('data') take each chunk as it is read anyway.
    super({ highWaterMark: SOURCE_SLOT_BYTES });
    this.position = range.start;
    this.remaining = range.length;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'r').then((handle) => { this.handle = handle; callback(); }, callback);
  }

  override _read(): void {
    this.wantsMore = true;
    this.pump();
  }

  /**
   * Gives bytes back, in the order they were read (the transport is done with them). Counted by length:
   * a consumer that got several chunks joined into one (Readable#read) gives back the joined chunk.
   */
  release(chunk: Uint8Array): void {
    let bytes = chunk.length;
    while (bytes > 0 && this.lent.length > 0) {
      const oldest = this.lent[0];
      const taken = Math.min(bytes, oldest.bytes);
      oldest.bytes -= taken;
      bytes -= taken;
      if (oldest.bytes === 0) {
        this.lent.shift();
        this.unhold(oldest.slot);
      }
    }
  }

  /** sha-256 hex of every byte read, once the hashing thread has seen them all. */
  async digest(): Promise<string> {
    return (await this.hasher.digest()).sha256;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Keep the hash when every byte was read (digest() may still come); otherwise it is of no use.
    if (error || this.remaining > 0) this.hasher.dispose();
    const handle = this.handle;
    this.handle = null;
    if (!handle) { callback(error); return; }
    handle.close().catch(() => undefined).finally(() => callback(error));
  }

  private pump(): void {
    if (this.isReading || !this.wantsMore || this.isEnded || this.destroyed || !this.handle) return;
    if (this.remaining === 0) {
      this.isEnded = true;
      this.push(null);
      return;
    }
    const slot = this.nextSlot;
    if (this.holds[slot] > 0) return;
    this.isReading = true;
    this.wantsMore = false;
    const start = slot * SOURCE_SLOT_BYTES;
    const view = this.memory.subarray(start, start + Math.min(SOURCE_SLOT_BYTES, this.remaining));
    this.handle.read(view, 0, view.length, this.position).then(
      ({ bytesRead }) => this.onRead(slot, view.subarray(0, bytesRead)),
      (error: Error) => this.destroy(error),
    );
  }

  private onRead(slot: number, chunk: Buffer): void {
    this.isReading = false;
    if (this.destroyed) return;
    if (chunk.length === 0) {
      this.destroy(new Error(`${this.path} got shorter while it was being sent`));
      return;
    }
    this.position += chunk.length;
    this.remaining -= chunk.length;
    this.holds[slot] = 2;
    this.lent.push({ slot, bytes: chunk.length });
    this.nextSlot = (slot + 1) % SOURCE_SLOTS;
    this.hasher.update([chunk]).then(() => this.unhold(slot), (error: Error) => this.destroy(error));
    if (this.push(chunk)) this.wantsMore = true;
    this.pump();
  }

  private unhold(slot: number): void {
    if (this.holds[slot] === 0) return;
    this.holds[slot] -= 1;
    if (this.holds[slot] === 0) this.pump();
  }
}
