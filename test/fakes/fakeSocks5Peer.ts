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

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiter?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.isClosed = true;
      this.waiter?.();
      resolve();
    }));
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

/** Opens a raw TCP connection to host:port. */
export function connectRaw(port: number, host = '127.0.0.1'): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
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
