/**
 * Socket reads straight into shared memory (issue 3 bench: S5B direct with hashing). A socket created with
 * `onread: ring.onread` has the kernel copy its bytes into slots of one SharedArrayBuffer: no allocation
 * per read, reads of up to a slot (1 MiB) instead of 64 KiB, and a sink can hand the very same memory to a
 * hashing worker thread without copying it (see transfer/hashWorker.ts).
 *
 * Regions of the ring go to the sink with `sink.write(view, callback)`; the region is reused only after
 * that callback (the Writable contract: a chunk is the sink's until its write callback). While the sink
 * is busy the ring keeps filling the current slot; when it catches up, everything read so far goes out in
 * one write (adaptive batching). When the next slot is still the sink's, reading pauses (backpressure).
 *
 * Before `start()` (the SOCKS5 handshake) reads land in the first 4 KiB and are copied to a handshake
 * listener, or kept until `start()` if nobody listens.
 */
import type { Writable } from 'node:stream';

/** Bytes per slot: the largest single read, and the most one sink write carries. */
export const RING_SLOT_BYTES = 1024 * 1024;
/** Slots per ring (8 MiB of address space; pages are touched only as data arrives). */
export const RING_SLOTS = 8;
/** A slot with less room than this is closed and the next one taken, so reads stay large. */
const MIN_READ_BYTES = 64 * 1024;
/** Read size while the handshake runs: SOCKS5 messages are at most 262 bytes. */
const HANDSHAKE_READ_BYTES = 4096;

/** What `net.connect({ onread })` takes. */
export interface RingOnRead {
  buffer: () => Uint8Array;
  callback: (bytes: number, buffer: Uint8Array) => boolean;
}

/** Where the ring's reads go: counted as they arrive, delivered to `sink` in regions. */
export interface RingPipe {
  sink: Writable;
  /** Called per read with its size (progress from bytes on the wire). */
  onBytes: (bytes: number) => void;
  /** Reading must resume (the socket was paused by a full ring). */
  resume: () => void;
  /** A sink write failed. */
  onError: (error: Error) => void;
}

export class SocketRing {
  private readonly memory = Buffer.from(new SharedArrayBuffer(RING_SLOT_BYTES * RING_SLOTS));
  /** Regions of each slot the sink still holds. */
  private readonly inFlight = new Array<number>(RING_SLOTS).fill(0);
  private slot = 0;
  /** Bytes read into the current slot, and how many of them went to the sink already. */
  private filled = 0;
  private delivered = 0;
  private pipe: RingPipe | null = null;
  private isPaused = false;
  private isStopped = false;
  private handshakeListener: ((chunk: Buffer) => void) | null = null;
  private early: Buffer[] = [];

  readonly onread: RingOnRead = {
    buffer: () => this.nextBuffer(),
    callback: (bytes) => this.onRead(bytes),
  };

  /** Handshake reads go to `listener` (copied); null keeps them for the pipe. */
  setHandshakeListener(listener: ((chunk: Buffer) => void) | null): void {
    this.handshakeListener = listener;
  }

  /** Puts bytes read past the handshake back: the sink gets them first. */
  unshift(bytes: Buffer): void {
    if (bytes.length > 0) this.early.unshift(sharedCopy(bytes));
  }

  /** From now on every read goes to `pipe.sink`. The socket must still be paused (or not yet reading). */
  start(pipe: RingPipe): void {
    this.pipe = pipe;
    for (const chunk of this.early) {
      pipe.onBytes(chunk.length);
      pipe.sink.write(chunk);
    }
    this.early = [];
  }

  /** Hands what is left in the current slot to the sink (the peer has finished). */
  flush(): void {
    if (this.pipe && this.filled > this.delivered) this.deliver();
  }

  /** Drops every later read and release (the stream failed or was disposed). */
  stop(): void {
    this.isStopped = true;
    this.pipe = null;
    this.handshakeListener = null;
    this.early = [];
  }

  private nextBuffer(): Uint8Array {
    const start = this.slot * RING_SLOT_BYTES;
    if (!this.pipe) return this.memory.subarray(start, start + HANDSHAKE_READ_BYTES);
    return this.memory.subarray(start + this.filled, start + RING_SLOT_BYTES);
  }

  /** Returns false to pause the socket: the slot the next read would use is still the sink's. */
  private onRead(bytes: number): boolean {
    if (this.isStopped) return false;
    const start = this.slot * RING_SLOT_BYTES + this.filled;
    if (!this.pipe) {
      const bytesRead = this.memory.subarray(start, start + bytes);
      if (this.handshakeListener) this.handshakeListener(Buffer.from(bytesRead));
      else this.early.push(sharedCopy(bytesRead));
      return true;
    }
    this.filled += bytes;
    this.pipe.onBytes(bytes);
    if (RING_SLOT_BYTES - this.filled < MIN_READ_BYTES) {
      this.deliver();
      this.slot = (this.slot + 1) % RING_SLOTS;
      this.filled = 0;
      this.delivered = 0;
    } else if (this.isSinkIdle()) {
      this.deliver();
    }
    // Regions of this round lie below `filled`; only a fresh slot can still be the sink's (last round).
    this.isPaused = this.filled === 0 && this.inFlight[this.slot] > 0;
    return !this.isPaused;
  }

  private isSinkIdle(): boolean {
    return this.inFlight.every((count) => count === 0);
  }

  /** Writes the current slot's undelivered region; its release may resume reading or deliver more. */
  private deliver(): void {
    const pipe = this.pipe;
    if (!pipe || this.filled === this.delivered) return;
    const slot = this.slot;
    const start = slot * RING_SLOT_BYTES;
    const view = this.memory.subarray(start + this.delivered, start + this.filled);
    this.delivered = this.filled;
    this.inFlight[slot] += 1;
    pipe.sink.write(view, (error?: Error | null) => {
      this.inFlight[slot] -= 1;
      if (this.isStopped) return;
      if (error) {
        pipe.onError(error);
        return;
      }
      this.onReleased();
    });
  }

  private onReleased(): void {
    if (this.isPaused && this.inFlight[this.slot] === 0) {
      this.isPaused = false;
      this.pipe?.resume();
    }
    // The sink caught up: hand it what arrived meanwhile (reads land past `filled`, never in a region
    // that is handed out, so this may happen between reads).
    if (this.isSinkIdle()) this.deliver();
  }
}

/**
 * Bytes read past the handshake, copied into their own shared memory: like the ring's regions, so a sink
 * that picks its hashing thread by the first chunk (transfer/hashWorker.ts) still hashes off the main one.
 */
export function sharedCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}
