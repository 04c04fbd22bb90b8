/**
 * A minimal XEP-0065 proxy relay (seed 004, /work/shared/seeds/004_89f193fc375c6bf9.txt, §6 "Mediated
 * Connection") on 127.0.0.1, for test components (oneteamProxy.ts). Written from the spec and RFC 1928,
 * not with Ferry's electron/transport/socks5/codec.ts, so that the two check each other.
 *
 * Each connection: no-auth greeting, then CONNECT with ATYP 3 and DST.ADDR = SHA1(SID + Requester JID +
 * Target JID) in hex, port 0. The first two connections with one DST.ADDR are paired; activate(dstAddr)
 * relays between them in both directions, half-closes included.
 */
import { createServer, type Socket } from 'node:net';

const HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_HANDSHAKE_BYTES = 2 + 255 + 4 + 1 + 255 + 2;

/** XEP-0065 "Activation of Bytestream": why the proxy cannot activate (not-allowed: only one party connected). */
export type Socks5Activation = 'activated' | 'item-not-found' | 'not-allowed' | 'conflict';

export interface Socks5Relay {
  readonly port: number;
  /** The DST.ADDR of every connection that completed its CONNECT, in order. */
  readonly connections: readonly string[];
  /** Starts relaying between the two connections with this DST.ADDR. */
  activate(dstAddr: string): Socks5Activation;
  /** Closes the listener and every connection. Idempotent. */
  stop(): Promise<void>;
}

interface Pair {
  sockets: { socket: Socket; rest: Buffer }[];
  isActive: boolean;
}

/** Reads a greeting then a CONNECT from `socket`; resolves with DST.ADDR (and any bytes after it) once answered, or null. */
function handshake(socket: Socket): Promise<{ dstAddr: string; rest: Buffer } | null> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'request' = 'greeting';
    const timer = setTimeout(() => finish(null), HANDSHAKE_TIMEOUT_MS);
    const finish = (connected: { dstAddr: string; rest: Buffer } | null): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      if (connected === null) socket.destroy();
      else socket.pause();
      resolve(connected);
    };
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_HANDSHAKE_BYTES) return finish(null);
      if (stage === 'greeting') {
        // 05 = version 5, NMETHODS, then that many METHOD bytes
        if (buffer.length < 2 || buffer.length < 2 + buffer[1]) return;
        if (buffer[0] !== 0x05) return finish(null);
        const methods = buffer.subarray(2, 2 + buffer[1]);
        if (!methods.includes(0x00)) {
          socket.end(Buffer.from([0x05, 0xff])); // FF = no acceptable method (RFC 1928 §3)
          return finish(null);
        }
        socket.write(Buffer.from([0x05, 0x00])); // 00 = no authentication
        buffer = buffer.subarray(2 + buffer[1]);
        stage = 'request';
      }
      // 05 VER, 01 CMD=CONNECT, 00 RSV, 03 ATYP=domain name, LEN, DST.ADDR, DST.PORT (2 bytes, 0)
      if (buffer.length < 5 || buffer.length < 5 + buffer[4] + 2) return;
      const length = buffer[4];
      if (buffer[0] !== 0x05 || buffer[1] !== 0x01 || buffer[3] !== 0x03) {
        socket.end(Buffer.from([0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0])); // 07 = command not supported
        return finish(null);
      }
      const request = buffer.subarray(3, 5 + length + 2); // ATYP, LEN, DST.ADDR, DST.PORT
      // XEP-0065: "the Proxy MUST set the BND.ADDR and BND.PORT to the DST.ADDR and DST.PORT values"
      socket.write(Buffer.concat([Buffer.from([0x05, 0x00, 0x00]), request])); // 00 = succeeded
      // Bytes sent before activation are held (the socket is paused) and relayed once activated; XEP-0065 "StreamHost
      // Requirements" lets a StreamHost "Ignore any bytes sent before the bytestream is activated" instead.
      finish({ dstAddr: buffer.subarray(5, 5 + length).toString('latin1'), rest: buffer.subarray(5 + length + 2) });
    };
    socket.on('data', onData);
  });
}

/** Starts the relay on 127.0.0.1 and a free port. */
export async function startSocks5Relay(): Promise<Socks5Relay> {
  const pairs = new Map<string, Pair>();
  const sockets = new Set<Socket>();
  const connections: string[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    void handshake(socket).then((connected) => {
      if (connected === null) return;
      connections.push(connected.dstAddr);
      const pair = pairs.get(connected.dstAddr) ?? { sockets: [], isActive: false };
      pairs.set(connected.dstAddr, pair);
      if (pair.sockets.length >= 2 || pair.isActive) socket.destroy(); // XEP-0065 StreamHost Requirements: "allow only one Target to connect"
      else pair.sockets.push({ socket, rest: connected.rest });
      socket.once('close', () => { if (!pair.isActive) pair.sockets = pair.sockets.filter((s) => s.socket !== socket); });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  let stopping: Promise<void> | null = null;
  return {
    port: address.port,
    connections,
    activate(dstAddr) {
      const pair = pairs.get(dstAddr);
      if (!pair || (pair.sockets.length === 0 && !pair.isActive)) return 'item-not-found';
      if (pair.isActive) return 'conflict';
      if (pair.sockets.length < 2) return 'not-allowed';
      pair.isActive = true;
      const [a, b] = pair.sockets;
      for (const [from, to] of [[a, b], [b, a]]) {
        if (from.rest.length > 0) to.socket.write(from.rest);
        from.socket.pipe(to.socket); // 'end' → to.end(): a half-close is passed on
        from.socket.once('close', () => { if (!to.socket.writableEnded) to.socket.end(); });
        from.socket.resume();
      }
      return 'activated';
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}
