/**
 * The direct S5B streamhost (XEP-0065 §5 "Direct Connection"): a net.Server on every local address that
 * serves only a connection whose DST.ADDR matches a pending registration. The target connects here; the
 * requester then sends the file over the yielded stream.
 *
 * Security posture (DESIGN.md): everything else is dropped fast (wrong version, no acceptable method,
 * unknown DST.ADDR, garbage at its first byte that cannot be SOCKS5); handshakes are bounded in time and in
 * number; the server listens only while something is pending (it starts on the first `expect` and closes
 * when the last one settles).
 *
 * Under a flood the real target must still get in (issue 7 item 10): when every handshake slot is taken,
 * the newcomer is admitted and the oldest unauthenticated handshake of the source holding the most slots
 * is dropped instead; one source address holds at most `maxHandshakesPerSource` slots (its own oldest
 * goes first). Handshakes still without a valid greeting go before greeted ones, and a greeting makes a
 * handshake the youngest again, so a live target is not pushed out by a storm of idle or garbage
 * connections from its own address (NAT, or loopback in tests).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { ByteStream, Disposable } from '../byteStream';
import { createSocketByteStream } from '../socketByteStream';
import { REPLY } from './codec';
import { readConnectRequest, writeReply } from './handshake';
import { SocketReader } from './socketReader';

/** XEP-0065 leaves it open; a live target finishes in a few RTTs, a slowloris does not. */
export const HANDSHAKE_TIMEOUT_MS = 5000;
/** Handshakes served at once; a newcomer beyond that evicts the oldest handshake (see above). */
export const MAX_CONCURRENT_HANDSHAKES = 32;
/** Handshakes one source address may hold at once; its oldest is dropped for its newcomer. */
export const MAX_HANDSHAKES_PER_SOURCE = 16;

/** Options of a listener. */
export interface Socks5ListenerOptions {
  /** Port to listen on; 0 (default) picks a free one each time listening starts. */
  port?: number;
  /** Ports to listen on (read each time listening starts): the first free one is taken; null or absent: `port`. */
  portRange?: () => { first: number; last: number } | null;
  handshakeTimeoutMs?: number;
  maxHandshakes?: number;
  maxHandshakesPerSource?: number;
  /** Diagnostics: why a connection was dropped. */
  onDropped?: (reason: string) => void;
}

/** Options of `expect`. */
export interface ExpectOptions {
  /** Reject the registration when no matching target connected within this time. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A pending registration: advertise `port`, await `stream`; `dispose()` cancels it. */
export interface Expectation extends Disposable {
  readonly port: number;
  /** Resolves with the target's stream once its handshake matched; rejects on timeout or cancel. */
  readonly stream: Promise<ByteStream>;
}

/** A socket in its handshake; `drop` closes it and says why. */
interface Handshake {
  source: string;
  /** A valid greeting came: such a handshake is dropped only when no silent or partial one is left. */
  isGreeted: boolean;
  drop(reason: string): void;
}

interface Pending {
  resolve(stream: ByteStream): void;
  reject(error: Error): void;
}

/**
 * Usable local addresses as XEP-0065 streamhost candidates: non-internal ones first (IPv4, then IPv6),
 * loopback last (psi#492: offering only 127.0.0.1 never connects). IPv6 link-local addresses are left out:
 * their zone id means nothing to the peer.
 */
export function localAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const usable = all.filter((info) => !(info.family === 'IPv6' && info.address.toLowerCase().startsWith('fe80:')));
  const rank = (info: NetworkInterfaceInfo): number => (info.internal ? 2 : 0) + (info.family === 'IPv6' ? 1 : 0);
  return [...usable].sort((a, b) => rank(a) - rank(b)).map((info) => info.address);
}

/** The direct streamhost. One per app; `dispose()` rejects everything pending and closes the server. */
export class Socks5Listener implements Disposable {
  private readonly pending = new Map<string, Pending>();
  /** In insertion order = oldest first; a socket that makes progress is moved to the end. */
  private readonly handshaking = new Map<Socket, Handshake>();
  private server: Server | null = null;
  private listening: Promise<number> | null = null;
  private isDisposed = false;

  constructor(private readonly options: Socks5ListenerOptions = {}) {}

  /** True while the server accepts connections. */
  get isListening(): boolean {
    return this.server?.listening ?? false;
  }

  /** Sockets currently in their handshake. */
  get handshakeCount(): number {
    return this.handshaking.size;
  }

  /** Registers `dstAddr` (lower-case 40-hex SHA-1) and starts listening if needed. */
  async expect(dstAddr: string, options: ExpectOptions): Promise<Expectation> {
    if (this.isDisposed) throw new Error('listener disposed');
    if (this.pending.has(dstAddr)) throw new Error('DST.ADDR already expected');
    let settle: Pending = { resolve: () => undefined, reject: () => undefined };
    const stream = new Promise<ByteStream>((resolve, reject) => { settle = { resolve, reject }; });
    stream.catch(() => undefined);
    const cancel = (reason: string): void => this.settle(dstAddr, entry, new Error(reason));
    const timer = setTimeout(() => cancel('no target connected in time'), options.timeoutMs);
    const onAbort = (): void => cancel('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const release = (): void => { clearTimeout(timer); options.signal?.removeEventListener('abort', onAbort); };
    const entry: Pending = {
      resolve: (value) => { release(); settle.resolve(value); },
      reject: (error) => { release(); settle.reject(error); },
    };
    this.pending.set(dstAddr, entry);
    if (options.signal?.aborted) onAbort();
    const port = await this.ensureListening().catch((error: Error) => {
      cancel(`cannot listen: ${error.message}`);
      throw error;
    });
    return { port, stream, dispose: () => cancel('cancelled') };
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const [dstAddr, entry] of [...this.pending]) this.settle(dstAddr, entry, new Error('listener disposed'));
    this.stop();
  }

  /** Settles one registration (if still pending) and stops listening when it was the last. */
  private settle(dstAddr: string, entry: Pending, result: ByteStream | Error): void {
    if (this.pending.get(dstAddr) !== entry) return;
    this.pending.delete(dstAddr);
    if (result instanceof Error) entry.reject(result);
    else entry.resolve(result);
    if (this.pending.size === 0) this.stop();
  }

  private ensureListening(): Promise<number> {
    if (!this.listening) {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, (socket) => this.onConnection(socket));
      server.on('error', () => undefined);
      this.server = server;
      this.listening = listenInRange(server, this.options.portRange?.() ?? null, this.options.port ?? 0);
      this.listening.catch(() => this.stop());
    }
    return this.listening;
  }

  /** Closes the server and drops unfinished handshakes; served streams belong to their owners. */
  private stop(): void {
    const server = this.server;
    this.server = null;
    this.listening = null;
    for (const socket of this.handshaking.keys()) socket.destroy();
    this.handshaking.clear();
    if (server?.listening) server.close();
    else server?.once('listening', () => server.close());
  }

  private onConnection(socket: Socket): void {
    socket.on('error', () => undefined);
    const source = socket.remoteAddress ?? '?';
    this.makeRoom(source);
    const reader = new SocketReader(socket);
    let isDropped = false;
    const dropOnce = (reason: string): void => {
      if (isDropped) return;
      isDropped = true;
      reader.detach();
      this.drop(socket, reason);
    };
    this.handshaking.set(socket, { source, isGreeted: false, drop: dropOnce });
    const timer = setTimeout(() => dropOnce('handshake timeout'), this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    this.serve(socket, reader)
      .catch((error: Error) => dropOnce(error.message))
      .finally(() => {
        clearTimeout(timer);
        this.handshaking.delete(socket);
      });
  }

  /**
   * Frees a slot for a newcomer from `source`: its own oldest handshake when the source is at its cap,
   * else, when every slot is taken, the oldest of the source holding the most slots.
   */
  private makeRoom(source: string): void {
    const perSource = this.options.maxHandshakesPerSource ?? MAX_HANDSHAKES_PER_SOURCE;
    const counts = new Map<string, number>();
    for (const { source: s } of this.handshaking.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    if ((counts.get(source) ?? 0) >= perSource) {
      this.evictOldest(source, 'too many handshakes from one address: dropped the oldest');
      return;
    }
    if (this.handshaking.size < (this.options.maxHandshakes ?? MAX_CONCURRENT_HANDSHAKES)) return;
    let heaviest = source;
    for (const [s, count] of counts) if (count > (counts.get(heaviest) ?? 0)) heaviest = s;
    this.evictOldest(heaviest, 'handshake slots full: dropped the oldest');
  }

  /** Drops the oldest handshake of `source` that has not sent a valid greeting, else its oldest. */
  private evictOldest(source: string, reason: string): void {
    const ofSource = [...this.handshaking].filter(([, handshake]) => handshake.source === source);
    const victim = ofSource.find(([, handshake]) => !handshake.isGreeted) ?? ofSource[0];
    if (!victim) return;
    this.handshaking.delete(victim[0]);
    victim[1].drop(reason);
  }

  /** A valid greeting arrived: the handshake counts as the youngest again. */
  private refresh(socket: Socket): void {
    const handshake = this.handshaking.get(socket);
    if (!handshake) return;
    handshake.isGreeted = true;
    this.handshaking.delete(socket);
    this.handshaking.set(socket, handshake);
  }

  private async serve(socket: Socket, reader: SocketReader): Promise<void> {
    const request = await readConnectRequest(socket, reader, () => this.refresh(socket));
    if (socket.destroyed) return;
    const entry = this.pending.get(request.dstAddr);
    if (!entry) {
      writeReply(socket, REPLY.hostUnreachable, request);
      throw new Error('unknown DST.ADDR');
    }
    writeReply(socket, REPLY.succeeded, request);
    reader.release();
    this.handshaking.delete(socket);
    this.settle(request.dstAddr, entry, createSocketByteStream(socket));
  }

  private drop(socket: Socket, reason: string): void {
    socket.destroy();
    this.options.onDropped?.(reason);
  }
}

/** Listens on '::' dual-stack (IPv6 and IPv4); falls back to 0.0.0.0 where IPv6 is unavailable. */
/** Listens on the first port of `range` that is free (a port in use or not allowed is skipped), else on `port`. */
async function listenInRange(server: Server, range: { first: number; last: number } | null, port: number): Promise<number> {
  if (!range) return await listenAnyAddress(server, port);
  let lastError: Error | null = null;
  for (let candidate = range.first; candidate <= range.last; candidate += 1) {
    try {
      return await listenAnyAddress(server, candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
      lastError = error as Error;
    }
  }
  throw new Error(`no free port from ${range.first} to ${range.last} (${lastError?.message ?? 'empty range'})`);
}

function listenAnyAddress(server: Server, port: number): Promise<number> {
  const attempt = (host: string): Promise<number> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ipv6Only: false }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
  return attempt('::').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL') throw error;
    return attempt('0.0.0.0');
  });
}
