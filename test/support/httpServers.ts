/** Local HTTP(S) servers for the HTTP client's tests: port 0 on 127.0.0.1, TLS from a private CA. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTestCa, makeServerCertificate } from '../../scripts/lib/localProsody.mjs';

export interface TestServer {
  /** http://127.0.0.1:port or https://127.0.0.1:port (the test certificate names 127.0.0.1) */
  origin: string;
  port: number;
  /** The server itself, for listeners such as 'checkContinue'. */
  server: http.Server;
  /** Sockets the server accepted, in order. */
  sockets: Socket[];
  close(): Promise<void>;
}

/** PEM key and certificate for localhost/127.0.0.1, and the CA that signed it. */
export interface TestCertificate {
  key: string;
  cert: string;
  ca: string;
}

/** Starts a server on 127.0.0.1, port 0; `tls` makes it HTTPS. */
export async function startServer(handler: RequestListener, tls?: TestCertificate): Promise<TestServer> {
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  const sockets: Socket[] = [];
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => sockets.push(socket));
  // An https server also sees plain TCP connections that fail the handshake: keep them closable.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    server,
    sockets,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

/** A certificate signed by the shared test CA (trusted when its `ca` is passed to the client). */
export function trustedCertificate(): TestCertificate {
  return certificateFrom(ensureTestCa(resolve(process.env.FERRY_TEST_CA_DIR ?? '.tmp/test-ca')));
}

/** A certificate signed by a CA made for this call only: nothing trusts it. */
export function untrustedCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-untrusted-ca-'));
  try {
    return certificateFrom(ensureTestCa(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function certificateFrom(ca: { caPath: string; keyPath: string }): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-http-cert-'));
  try {
    mkdirSync(dir, { recursive: true });
    const made = makeServerCertificate(dir, ca);
    return { key: readFileSync(made.keyPath, 'utf8'), cert: readFileSync(made.certPath, 'utf8'), ca: readFileSync(ca.caPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads a request body whole (test payloads only). */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => done(Buffer.concat(chunks)));
    request.once('error', fail);
  });
}

/** Serves `payload`, honouring `Range: bytes=N-` with a 206 (RFC 9110 §14.2). */
export function serveRange(request: IncomingMessage, response: ServerResponse, payload: Buffer): void {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  if (!match) {
    response.writeHead(200, { 'Content-Length': payload.length, 'Content-Type': 'application/octet-stream' }).end(payload);
    return;
  }
  const start = Number(match[1]);
  if (start >= payload.length) {
    response.writeHead(416, { 'Content-Range': `bytes */${payload.length}` }).end();
    return;
  }
  response.writeHead(206, {
    'Content-Length': payload.length - start,
    'Content-Range': `bytes ${start}-${payload.length - 1}/${payload.length}`,
    'Content-Type': 'application/octet-stream',
  }).end(payload.subarray(start));
}

/** A directory for test files, removed by the returned function. */
export function tempDir(): { dir: string; file(name: string, bytes: Uint8Array): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-http-'));
  return {
    dir,
    file: (name, bytes) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
