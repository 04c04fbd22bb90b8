/**
 * Connects to a SOCKS5 streamhost (the requester's direct listener, or a proxy) and yields a ByteStream
 * once the XEP-0065 handshake succeeded. Used by the target for every offered streamhost, and by the
 * requester for a proxy the target chose.
 *
 * Mediated connections (XEP-0065 §6): the target connects to the proxy with DST.ADDR
 * SHA1(sid + requester + target); after streamhost-used the requester connects to the same proxy with
 * the *same* DST.ADDR, and then activates the bytestream with an IQ to the proxy (the transfer layer's
 * job: this module knows no XMPP). Data may flow only after the activation result: the requester must
 * not `pipeFrom` before it, and the target simply sees no bytes until then.
 */
import { connect, type Socket } from 'node:net';
import type { ByteStream } from '../byteStream';
import { createSocketByteStream } from '../socketByteStream';
import { SocketRing } from '../socketRing';
import { clientHandshake } from './handshake';
import { SocketReader } from './socketReader';

/** Bound on TCP connect plus SOCKS5 handshake for one streamhost. */
export const CONNECT_TIMEOUT_MS = 5000;
/** Head start each earlier candidate gets before the next one is tried (happy eyeballs, RFC 8305 §5). */
export const HEAD_START_MS = 250;

/** Where to connect and what to ask for. */
export interface Socks5Target {
  host: string;
  port: number;
  /** Lower-case hex SHA-1 DST.ADDR (the codec's `dstAddr`, or the offer's `dstaddr` attribute). */
  dstAddr: string;
}

/** Options of `connectSocks5`. */
export interface ConnectOptions extends Socks5Target {
  /** Connect + handshake deadline; default CONNECT_TIMEOUT_MS. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Connects and runs the client handshake; rejects with the reason (refused, timeout, REP …). The socket
 * reads through a SocketRing: what the target receives lands in shared memory the file store can hash on
 * a worker thread without a copy.
 */
export async function connectSocks5(options: ConnectOptions): Promise<ByteStream> {
  const ring = new SocketRing();
  const socket = connect({ host: options.host, port: options.port, allowHalfOpen: true, onread: ring.onread });
  socket.on('error', () => undefined);
  const reader = new SocketReader(socket, ring);
  const deadline = startDeadline(socket, options);
  try {
    await Promise.race([clientHandshake(socket, reader, options.dstAddr), deadline.expired]);
  } catch (error) {
    reader.detach();
    socket.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  } finally {
    deadline.dispose();
  }
  reader.release();
  return createSocketByteStream(socket, ring);
}

interface Deadline {
  expired: Promise<never>;
  dispose(): void;
}

/** Rejects `expired` on timeout or abort; `dispose()` clears the timer and the abort listener. */
function startDeadline(socket: Socket, options: ConnectOptions): Deadline {
  let onAbort = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const stage = socket.connecting ? 'TCP connect' : 'SOCKS5 handshake';
      reject(new Error(`timeout after ${timeoutMs} ms in ${stage}`));
    }, timeoutMs);
    onAbort = () => reject(new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
  });
  expired.catch(() => undefined);
  return {
    expired,
    dispose: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** One candidate that did not work, and why. */
export interface CandidateFailure<C> {
  candidate: C;
  index: number;
  reason: string;
}

/** The winner of `connectFirst`, plus the candidates that had failed before it won. */
export interface ConnectFirstResult<C> {
  candidate: C;
  index: number;
  stream: ByteStream;
  failures: CandidateFailure<C>[];
}

/** Every candidate failed; `failures` says why, one entry per candidate. */
export class ConnectFirstError<C> extends Error {
  constructor(readonly failures: CandidateFailure<C>[]) {
    super(failures.length === 0 ? 'no streamhost candidates' : `all ${failures.length} streamhosts failed`);
  }
}

/** Options of `connectFirst`. */
export interface ConnectFirstOptions {
  /** Default HEAD_START_MS. */
  headStartMs?: number;
  /** Per candidate, connect + handshake; default CONNECT_TIMEOUT_MS. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Races `candidates` in order, happy-eyeballs style: starts the first, and starts the next one when the
 * previous has had `headStartMs` or has failed. The first to finish its handshake wins; the others are
 * aborted (or disposed if they finish later). Worst case: (n − 1) × headStartMs + timeoutMs.
 * XEP-0065 §5.3.2: the target "SHOULD try to connect to them in the order of the <streamhost/>
 * children"; the head start keeps that preference without waiting out each dead candidate.
 */
export function connectFirst<C extends Socks5Target>(
  candidates: readonly C[],
  options: ConnectFirstOptions = {},
): Promise<ConnectFirstResult<C>> {
  if (candidates.length === 0) return Promise.reject(new ConnectFirstError<C>([]));
  return new Promise((resolve, reject) => {
    const race = new CandidateRace(candidates, options, { resolve, reject });
    race.startNext();
  });
}

interface Settle<C> {
  resolve(result: ConnectFirstResult<C>): void;
  reject(error: Error): void;
}

/** State of one `connectFirst` run. */
class CandidateRace<C extends Socks5Target> {
  private readonly controllers: AbortController[] = [];
  private readonly failures: CandidateFailure<C>[] = [];
  private nextIndex = 0;
  private isSettled = false;
  private headTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.finish(new Error('aborted'));

  constructor(
    private readonly candidates: readonly C[],
    private readonly options: ConnectFirstOptions,
    private readonly settle: Settle<C>,
  ) {
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) queueMicrotask(this.onAbort);
  }

  startNext(): void {
    clearTimeout(this.headTimer);
    if (this.isSettled || this.nextIndex >= this.candidates.length) return;
    const index = this.nextIndex;
    this.nextIndex += 1;
    const candidate = this.candidates[index];
    const controller = new AbortController();
    this.controllers[index] = controller;
    const attempt = connectSocks5({
      host: candidate.host,
      port: candidate.port,
      dstAddr: candidate.dstAddr,
      timeoutMs: this.options.timeoutMs,
      signal: controller.signal,
    });
    attempt.then((stream) => this.onWin(index, stream), (error: Error) => this.onFail(index, error));
    if (this.nextIndex < this.candidates.length) {
      this.headTimer = setTimeout(() => this.startNext(), this.options.headStartMs ?? HEAD_START_MS);
    }
  }

  private onWin(index: number, stream: ByteStream): void {
    if (this.isSettled) {
      stream.dispose();
      return;
    }
    this.finish(null);
    this.settle.resolve({ candidate: this.candidates[index], index, stream, failures: this.failures });
  }

  private onFail(index: number, error: Error): void {
    if (this.isSettled) return;
    const candidate = this.candidates[index];
    this.failures.push({ candidate, index, reason: `${candidate.host}:${candidate.port}: ${error.message}` });
    if (this.failures.length === this.candidates.length) this.finish(new ConnectFirstError(this.failures));
    else this.startNext();
  }

  /** Settles once: aborts every attempt still running, clears the timer and the abort listener. */
  private finish(error: Error | null): void {
    if (this.isSettled) return;
    this.isSettled = true;
    clearTimeout(this.headTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const controller of this.controllers) controller.abort();
    if (error) this.settle.reject(error);
  }
}
