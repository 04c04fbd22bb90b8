/**
 * A scripted SOCKS5 peer on real loopback sockets: raw bytes in and out, written from RFC 1928's byte
 * layouts (not from Ferry's codec, so the tests check the codec's use rather than reuse it).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** RFC 1928 §3: 05 = version, 01 = one method, 00 = no authentication. */
export const GREETING_NO_AUTH = Uint8Array.from([0x05, 0x01, 0x00]);
/** RFC 1928 §3: method choice 05 00 = no authentication accepted. */
export const METHOD_NO_AUTH = Uint8Array.from([0x05, 0x00]);

/** RFC 1928 §4 CONNECT with ATYP 03 (domain name) = dstAddr, and DST.PORT (XEP-0065 §5.3.2: 0). */
export function connectRequest(dstAddr: string, port = 0): Uint8Array {
  const name = Buffer.from(dstAddr, 'latin1');
  // 05 = version, 01 = CONNECT, 00 = reserved, 03 = domain name, then length, name, 2-byte port
  return Uint8Array.from([0x05, 0x01, 0x00, 0x03, name.length, ...name, port >> 8, port & 0xff]);
}

/** RFC 1928 §6 reply with ATYP 03: 05, REP, 00, 03, length, BND.ADDR, BND.PORT. */
export function replyBytes(rep: number, dstAddr: string, port = 0): Uint8Array {
  const name = Buffer.from(dstAddr, 'latin1');
  return Uint8Array.from([0x05, rep, 0x00, 0x03, name.length, ...name, port >> 8, port & 0xff]);
}

/** One raw TCP endpoint with a byte queue the test reads from. */
export class RawPeer {
  private buffered = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  readonly closed: Promise<void>;
  isClosed = false;
  /** The other side ended the connection (FIN or reset) before we destroyed it. */
  isClosedByPeer = false;
  private all: Buffer[] = [];

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.all.push(chunk);
      this.waiter?.();
    });
    socket.on('error', () => { this.isClosedByPeer = true; });
    socket.on('end', () => { this.isClosedByPeer = true; });
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.isClosed = true;
      this.waiter?.();
      resolve();
    }));
  }

  /** Every byte received so far, read or not. */
  received(): Buffer {
    return Buffer.concat(this.all);
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Resolves with exactly `count` bytes, or rejects when the socket closes first or after timeoutMs. */
  async read(count: number, timeoutMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < count) {
      if (this.isClosed) throw new Error(`closed after ${this.buffered.length} of ${count} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout after ${this.buffered.length} of ${count} bytes`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(timer); resolve(); };
      });
      this.waiter = null;
    }
    const out = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return Buffer.from(out);
  }

  /** Milliseconds until the other side closes the connection (rejects after timeoutMs). */
  async closedWithin(timeoutMs: number): Promise<number> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return Date.now() - started;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Opens a raw TCP connection to host:port (from `localAddress`, e.g. 127.0.0.2, when given). */
export function connectRaw(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, ...(localAddress ? { localAddress } : {}) });
    socket.once('connect', () => resolve(new RawPeer(socket)));
    socket.once('error', reject);
  });
}

/** A loopback server running `script` for each accepted connection; `close()` destroys everything. */
export interface ScriptedServer {
  readonly port: number;
  readonly peers: RawPeer[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0, that hands every connection to `script`. */
export function startScriptedServer(script: (peer: RawPeer) => void | Promise<void>): Promise<ScriptedServer> {
  const peers: RawPeer[] = [];
  const server: Server = createServer((socket) => {
    const peer = new RawPeer(socket);
    peers.push(peer);
    void Promise.resolve(script(peer)).catch(() => peer.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        peers,
        close: () => new Promise<void>((done) => {
          for (const peer of peers) peer.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/** A server that accepts connections and never answers (a black-holed streamhost). */
export function startBlackHole(): Promise<ScriptedServer> {
  return startScriptedServer(() => undefined);
}

/** A SOCKS5 streamhost that answers like a proxy: method 00, then reply `rep` echoing DST.ADDR. */
export function startScriptedProxy(options: { rep?: number; afterReply?: (peer: RawPeer) => void } = {}): Promise<ScriptedServer> {
  return startScriptedServer(async (peer) => {
    await peer.read(3);
    peer.write(METHOD_NO_AUTH);
    const head = await peer.read(5);
    const rest = await peer.read(head[4] + 2);
    const dstAddr = rest.subarray(0, head[4]).toString('latin1');
    peer.write(replyBytes(options.rep ?? 0x00, dstAddr, rest.readUInt16BE(head[4])));
    options.afterReply?.(peer);
  });
}

/** A loopback port where nothing listens (connect is refused). */
export function refusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The hostile clients of a flood: what each sends (RFC 1928 byte layouts), and what it should get back. */
export const HOSTILE_KINDS = ['garbage', 'wrong-version', 'wrong-dstaddr', 'oversized-length', 'idle'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

function hostileBytes(kind: HostileKind, dstAddr: string): Uint8Array | null {
  switch (kind) {
    // not SOCKS at all: an HTTP request line (first byte 'G', not VER 05)
    case 'garbage': return Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    // SOCKS4 CONNECT: VER 04
    case 'wrong-version': return Uint8Array.from([0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0x00]);
    case 'wrong-dstaddr': return Buffer.concat([GREETING_NO_AUTH, connectRequest(dstAddr)]);
    // CONNECT whose domain length octet says 200 (a SHA-1 hex DST.ADDR is 40)
    case 'oversized-length': return Buffer.concat([GREETING_NO_AUTH, Uint8Array.from([0x05, 0x01, 0x00, 0x03, 200, 0x61, 0x62])]);
    case 'idle': return null;
  }
}

/** What happened to the hostile connections of one kind. */
export interface HostileTally {
  /** TCP connect succeeded: the listener accepted it. */
  accepted: number;
  /** TCP connect failed (refused or reset): the listener was not there to judge it. */
  refused: number;
  /** The listener closed it; `replies` counts the byte strings it sent first. */
  closedByListener: number;
  replies: Map<string, number>;
  /** Still open when the flood stopped (not closed by the listener). */
  openAtStop: number;
}

/** A flood of hostile clients kept at `concurrency` open at a time until `stop()`. */
export interface Flood {
  /** Total connections started so far. */
  readonly started: number;
  stop(): Promise<Map<HostileKind, HostileTally>>;
}

/**
 * Keeps `concurrency` hostile connections to host:port open at once, cycling through HOSTILE_KINDS
 * (wrong DST.ADDR = `dstAddr`), replacing each as soon as it ends; at most `limit` connections in all.
 * `fromAddresses` (e.g. 127.0.0.2, 127.0.0.3) spreads them over several source addresses.
 */
export function startFlood(
  port: number,
  options: { host?: string; concurrency?: number; dstAddr: string; limit?: number; fromAddresses?: readonly string[] },
): Flood {
  const tally = new Map<HostileKind, HostileTally>(HOSTILE_KINDS.map((kind) => [kind, {
    accepted: 0, refused: 0, closedByListener: 0, replies: new Map<string, number>(), openAtStop: 0,
  }]));
  const live = new Set<Socket>();
  const running = new Set<Promise<void>>();
  let started = 0;
  let isStopping = false;
  const limit = options.limit ?? 5000;
  const one = async (kind: HostileKind, from: string | undefined): Promise<void> => {
    const entry = tally.get(kind)!;
    const peer = await connectRaw(port, options.host ?? '127.0.0.1', from).catch(() => null);
    if (!peer) {
      entry.refused += 1;
      return;
    }
    entry.accepted += 1;
    live.add(peer.socket);
    if (isStopping) peer.destroy();
    const bytes = hostileBytes(kind, options.dstAddr);
    if (bytes) peer.write(bytes);
    await peer.closed;
    live.delete(peer.socket);
    if (!peer.isClosedByPeer) {
      entry.openAtStop += 1;
      return;
    }
    entry.closedByListener += 1;
    const reply = peer.received().toString('hex');
    entry.replies.set(reply, (entry.replies.get(reply) ?? 0) + 1);
  };
  const next = (): void => {
    if (isStopping || started >= limit) return;
    const kind = HOSTILE_KINDS[started % HOSTILE_KINDS.length];
    const from = options.fromAddresses?.[started % options.fromAddresses.length];
    started += 1;
    const run = one(kind, from).finally(() => {
      running.delete(run);
      next();
    });
    running.add(run);
  };
  for (let i = 0; i < (options.concurrency ?? 32); i += 1) next();
  return {
    get started() { return started; },
    stop: async () => {
      isStopping = true;
      for (const socket of live) socket.destroy();
      while (running.size > 0) await Promise.all([...running]);
      return tally;
    },
  };
}
