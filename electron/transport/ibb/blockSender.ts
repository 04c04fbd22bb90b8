/**
 * The sending half of an IBB stream: cuts bytes into blocks with the chunker and keeps at most `window`
 * blocks unacknowledged. XEP-0047 allows pipelining `<iq/>` data (DESIGN.md "Interop facts"); window 1 is
 * stop-and-wait. Blocks are views into the source's chunks (no copy); only a block spanning two chunks is
 * assembled by the chunker. Memory: one source chunk plus the window.
 */
import { createIbbChunker, type IbbChunker } from './chunker';

/**
 * Sends one block; resolves when the peer acknowledged it (iq) or it was written (message). `bytes` may be
 * lent memory (a LendingReadable's chunk): use (encode) them before returning, never keep them.
 */
export type SendIbbBlock = (seq: number, bytes: Uint8Array) => Promise<void>;

/** Options of a BlockSender. */
export interface BlockSenderOptions {
  blockSize: number;
  window: number;
  sendBlock: SendIbbBlock;
  /** A block was acknowledged: `bytes` more are on the other side. */
  onAcknowledged(bytes: number): void;
  /** A block was refused or lost: the stream is dead. */
  onFailure(reason: string): void;
}

interface Block {
  seq: number;
  bytes: Uint8Array;
}

/** Window-limited block pump. `push` never blocks: callers wait for `room()` between chunks. */
export class BlockSender {
  private readonly chunker: IbbChunker;
  private queue: Block[] = [];
  private head = 0;
  private inFlight = 0;
  private isStopped = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: BlockSenderOptions) {
    if (!Number.isInteger(options.window) || options.window < 1) throw new RangeError('IBB window must be ≥ 1');
    this.chunker = createIbbChunker({
      blockSize: options.blockSize,
      sendBlock: (seq, bytes) => void this.queue.push({ seq, bytes }),
    });
  }

  /** The seq the next block cut from pushed bytes will carry. */
  get nextSeq(): number {
    return this.chunker.nextSeq;
  }

  /** Queues `chunk` as blocks and sends as many as the window allows. */
  push(chunk: Uint8Array): void {
    this.chunker.push(chunk);
    this.dispatch();
  }

  /** Queues the last partial block. */
  flush(): void {
    this.chunker.flush();
    this.dispatch();
  }

  /** Resolves when no block is queued (more source bytes may be pushed). */
  room(): Promise<void> {
    return this.waitFor(() => this.head >= this.queue.length);
  }

  /** Resolves when every block was acknowledged. */
  idle(): Promise<void> {
    return this.waitFor(() => this.head >= this.queue.length && this.inFlight === 0);
  }

  /** Stops sending; pending waits never resolve (the stream's state tells why). */
  stop(): void {
    this.isStopped = true;
    this.queue = [];
    this.head = 0;
    this.waiters = [];
  }

  private waitFor(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (condition()) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private dispatch(): void {
    while (!this.isStopped && this.inFlight < this.options.window && this.head < this.queue.length) {
      const block = this.queue[this.head];
      this.head += 1;
      this.inFlight += 1;
      this.options.sendBlock(block.seq, block.bytes).then(
        () => this.onAcknowledged(block),
        (error: unknown) => this.fail(`block seq ${block.seq} not acknowledged: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    this.wake();
  }

  private onAcknowledged(block: Block): void {
    if (this.isStopped) return;
    this.inFlight -= 1;
    this.options.onAcknowledged(block.bytes.length);
    this.dispatch();
  }

  private fail(reason: string): void {
    if (this.isStopped) return;
    this.stop();
    this.options.onFailure(reason);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const check of waiters) check();
  }
}
