/**
 * Hashing off the main thread (issue 3 bench: S5B direct with sha-256; transport/byteStream.ts says why).
 * One worker thread per process, started on first use, holds the hash state of every incoming file that
 * arrives in shared memory (the socket ring: transport/socketRing.ts). Its chunks are hashed where they
 * lie, and `update` resolves only once the worker has read them: the ring may reuse the region after.
 */
import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sharedCopy } from '../transport/socketRing';

export type HashAlgorithm = 'sha256' | 'md5';

// Runs in the worker (CommonJS, evaluated from this string so that no separate file has to be bundled).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const states = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.op === 'open') { states.set(m.id, m.algorithms.map((a) => createHash(a))); return; }
    if (m.op === 'drop') { states.delete(m.id); return; }
    const hashes = states.get(m.id);
    if (!hashes) throw new Error('unknown hash ' + m.id);
    if (m.op === 'update') {
      for (const part of m.parts) {
        const view = new Uint8Array(part.memory, part.offset, part.length);
        for (const hash of hashes) hash.update(view);
      }
      parentPort.postMessage({ seq: m.seq });
    } else if (m.op === 'digest') {
      states.delete(m.id);
      parentPort.postMessage({ seq: m.seq, hex: hashes.map((hash) => hash.digest('hex')) });
    }
  } catch (error) {
    parentPort.postMessage({ seq: m.seq, error: String(error && error.message || error) });
  }
});
`;

interface Reply {
  seq: number;
  hex?: string[];
  error?: string;
}

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/** The process' hashing thread: ordered messages, one reply per update/digest. */
class HashThread {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private nextId = 0;
  broken: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    this.worker.on('error', (error) => this.breakDown(error));
    this.worker.on('exit', (code) => this.breakDown(new Error(`hash worker exited with code ${code}`)));
  }

  open(algorithms: HashAlgorithm[]): number {
    const id = this.nextId++;
    this.worker.postMessage({ op: 'open', id, algorithms });
    return id;
  }

  drop(id: number): void {
    if (!this.broken) this.worker.postMessage({ op: 'drop', id });
  }

  request(message: object): Promise<Reply> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = this.seq++;
    // Keep the process alive while an answer is owed (the worker is unref'd when idle).
    if (this.pending.size === 0) this.worker.ref();
    const reply = new Promise<Reply>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.worker.postMessage({ ...message, seq });
    return reply;
  }

  private onReply(reply: Reply): void {
    const waiter = this.pending.get(reply.seq);
    this.pending.delete(reply.seq);
    if (this.pending.size === 0) this.worker.unref();
    if (!waiter) return;
    if (reply.error) waiter.reject(new Error(`hashing failed: ${reply.error}`));
    else waiter.resolve(reply);
  }

  private breakDown(error: Error): void {
    this.broken ??= error;
    if (thread === this) thread = null;
    for (const waiter of this.pending.values()) waiter.reject(new Error(`hashing failed: ${this.broken.message}`));
    this.pending.clear();
  }
}

let thread: HashThread | null = null;

function sharedThread(): HashThread {
  thread ??= new HashThread();
  return thread;
}

/**
 * Hashes of one stream of chunks, in the order `update` was called. The first chunk decides where they
 * are computed: chunks in shared memory (a socket ring) on the hashing thread, anything else (IBB blocks,
 * small reads) inline, where a round trip to a thread would cost more than the hash. A later chunk of
 * the other kind still goes to the same place: copied into fresh shared memory, or hashed inline.
 */
export class FileHasher {
  private inline: Hash[] | null = null;
  private threaded: { thread: HashThread; id: number } | null = null;
  private isFinished = false;

  constructor(private readonly algorithms: HashAlgorithm[]) {}

  /** Hashes (or queues) chunks; resolves when their memory may be reused. */
  update(chunks: readonly Uint8Array[]): Promise<void> {
    const present = chunks.filter((chunk) => chunk.length > 0);
    if (present.length === 0) return Promise.resolve();
    if (!this.inline && !this.threaded) {
      if (isShared(present[0])) {
        const thread = sharedThread();
        this.threaded = { thread, id: thread.open(this.algorithms) };
      } else {
        this.inline = this.algorithms.map((algorithm) => createHash(algorithm));
      }
    }
    if (this.inline) {
      for (const chunk of present) for (const hash of this.inline) hash.update(chunk);
      return Promise.resolve();
    }
    const { thread, id } = this.threaded!;
    const parts = present.map((chunk) => {
      const shared = isShared(chunk) ? chunk : sharedCopy(chunk);
      return { memory: shared.buffer, offset: shared.byteOffset, length: shared.length };
    });
    return thread.request({ op: 'update', id, parts }).then(() => undefined);
  }

  /** Hex digests, one per algorithm, after every update. Fails if hashing failed. */
  async digest(): Promise<Record<HashAlgorithm, string>> {
    this.isFinished = true;
    let hex: string[];
    if (this.threaded) hex = (await this.threaded.thread.request({ op: 'digest', id: this.threaded.id })).hex!;
    else hex = (this.inline ?? this.algorithms.map((algorithm) => createHash(algorithm))).map((hash) => hash.digest('hex'));
    const result = {} as Record<HashAlgorithm, string>;
    this.algorithms.forEach((algorithm, index) => { result[algorithm] = hex[index]; });
    return result;
  }

  /** Forgets the state (the file was aborted). Idempotent. */
  dispose(): void {
    if (this.isFinished) return;
    this.isFinished = true;
    if (this.threaded) this.threaded.thread.drop(this.threaded.id);
  }
}

function isShared(chunk: Uint8Array): boolean {
  return chunk.buffer instanceof SharedArrayBuffer;
}
