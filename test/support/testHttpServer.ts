/**
 * The HTTP side of the test components (kontalkComponent.ts, oneteamProxy.ts): a loopback server that
 * tracks its sockets so stop() leaves nothing open, RFC 9110 §14 single byte ranges, a request body
 * streamed to a file under a size limit, and a response body that can be cut short on purpose.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface TestHttpServer {
  readonly port: number;
  /** http://127.0.0.1:<port><path> */
  url(path: string): string;
  /** Closes the listener and every open connection. Idempotent. */
  stop(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 and a free port; an exception in the handler answers 500. */
export async function startTestHttpServer(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<TestHttpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
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
    url: (path) => `http://127.0.0.1:${address.port}${path}`,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}

/**
 * A short text/plain answer. The connection stays open (Node reads and drops what is left of the request
 * body), so a client still sending gets the answer rather than a reset.
 */
export function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), ...headers });
  res.end(body);
}

/** Reads and drops the rest of a request body that will not be used (bounded: the socket goes after maxBytes). */
export function discardBody(req: IncomingMessage, maxBytes = 256 * 1024 * 1024): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBytes) req.socket.destroy();
  });
  req.resume();
}

export type SavedBody = { ok: true; bytes: number; sha256: string } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Streams `body` into `path` with backpressure, never holding more than a chunk. Past maxBytes it stops
 * writing and resolves too-large, leaving `body` flowing into nothing so the caller can still answer 413.
 * onWritten gets the count of bytes on disk after each write (for a reader that follows the file).
 */
export async function saveBody(body: NodeJS.ReadableStream, path: string, maxBytes: number, onWritten?: (bytes: number) => void): Promise<SavedBody> {
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  let bytes = 0;
  const outcome = await new Promise<SavedBody>((resolve) => {
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        body.removeListener('data', onData);
        body.resume();
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      hash.update(chunk);
      const through = bytes;
      if (!out.write(chunk, () => onWritten?.(through))) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    };
    body.on('data', onData);
    body.once('end', () => resolve({ ok: true, bytes, sha256: hash.digest('hex') }));
    body.once('error', () => resolve({ ok: false, reason: 'aborted' }));
    body.once('close', () => resolve({ ok: false, reason: 'aborted' })); // after 'end' this is a no-op
    out.once('error', () => resolve({ ok: false, reason: 'aborted' }));
  });
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return outcome;
}

/** An inclusive byte range of a representation of `size` bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * RFC 9110 §14.1.2: `bytes=a-b`, `bytes=a-` and `bytes=-n`, one range only. null: no (usable) Range, so
 * the whole representation (§14.2: a server MAY ignore Range, and does for several ranges);
 * 'unsatisfiable': answer 416 with `Content-Range: bytes * /size`.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return null; // §14.1.1: invalid, so ignored
  return start >= size ? 'unsatisfiable' : { start, end };
}

/**
 * Writes `chunks` to the response with backpressure and ends it; with cutAfterBytes, destroys the
 * connection once that many body bytes have reached the socket (a response cut short, whatever its
 * Content-Length or chunking promised). Stops early when the client goes away.
 */
export async function writeBody(res: ServerResponse, chunks: AsyncIterable<Buffer>, cutAfterBytes?: number): Promise<number> {
  let sent = 0;
  for await (const chunk of chunks) {
    if (res.destroyed) return sent;
    const part = cutAfterBytes === undefined ? chunk : chunk.subarray(0, Math.max(0, cutAfterBytes - sent));
    if (part.length > 0) {
      sent += part.length;
      await new Promise<void>((resolve) => {
        const done = (): void => { res.off('close', done); resolve(); };
        res.once('close', done);
        res.write(part, done); // called once the chunk is on the socket
      });
    }
    if (cutAfterBytes !== undefined && sent >= cutAfterBytes) {
      res.destroy();
      return sent;
    }
  }
  res.end();
  return sent;
}
