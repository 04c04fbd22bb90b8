/** Helpers for transport tests: payloads, hashing sinks, open-handle checks. */
import { createHash, randomFillSync } from 'node:crypto';
import { Readable, Writable } from 'node:stream';

export const MIB = 1024 * 1024;

/** `size` random bytes (one allocation). */
export function randomPayload(size: number): Buffer {
  return randomFillSync(Buffer.allocUnsafe(size));
}

/** sha-256 hex of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A Readable yielding `payload` as views of `chunkSize` bytes (no copies). */
export function chunkedSource(payload: Buffer, chunkSize = MIB): Readable {
  const views: Buffer[] = [];
  for (let at = 0; at < payload.length; at += chunkSize) views.push(payload.subarray(at, at + chunkSize));
  return Readable.from(views, { objectMode: false });
}

/** A Writable that hashes what it receives; `digest()` after it finished. */
export function hashingSink(): { sink: Writable; digest(): string; bytes(): number } {
  const hash = createHash('sha256');
  let count = 0;
  const sink = new Writable({
    highWaterMark: MIB,
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      count += chunk.length;
      callback();
    },
  });
  let hex: string | null = null;
  return { sink, digest: () => (hex ??= hash.digest('hex')), bytes: () => count };
}

/** A Writable collecting everything (small payloads only). */
export function collectingSink(): { sink: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}

/** Open TCP sockets and servers of this process (process.getActiveResourcesInfo). */
export function tcpHandleCount(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TCPServerWrap').length;
}

/** Waits (bounded) until the count of TCP handles is back to `baseline`; returns the last count. */
export async function settleTcpHandles(baseline: number, timeoutMs = 2000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (tcpHandleCount() > baseline && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return tcpHandleCount();
}

/** Resolves after ms. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms until true; throws after timeoutMs. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(5);
  }
}
