import { truncateSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../../../../electron/transport/http/httpError';
import { uploadFile, type UploadFileOptions } from '../../../../../electron/transport/http/httpUpload';
import { readBody, startServer, tempDir, trustedCertificate, untrustedCertificate, type TestServer } from '../../../../support/httpServers';
import { MIB, randomPayload, settleTcpHandles, sha256, tcpHandleCount } from '../../../../support/transportHelpers';

let baseline = 0;
const cleanups: (() => unknown)[] = [];
beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

async function server(handler: Parameters<typeof startServer>[0], tls?: Parameters<typeof startServer>[1]): Promise<TestServer> {
  const started = await startServer(handler, tls);
  cleanups.push(() => started.close());
  return started;
}

function files(): ReturnType<typeof tempDir> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return dir;
}

/** A sparse file of `size` zero bytes (no disk blocks, fast to read). */
function sparseFile(size: number): string {
  const path = join(files().dir, 'sparse.bin');
  writeFileSync(path, '');
  truncateSync(path, size);
  return path;
}

function put(url: string, path: string, size: number, extra: Partial<UploadFileOptions> = {}): Promise<Awaited<ReturnType<typeof uploadFile>>> {
  return uploadFile({
    method: 'PUT', url, headers: {}, path, size, contentType: 'application/octet-stream',
    signal: new AbortController().signal, onProgress: () => undefined, ...extra,
  });
}

/** The HttpError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

/** A server that takes the headers and does not read the body until told to. */
async function pausedServer(): Promise<{ server: TestServer; request: Promise<IncomingMessage> }> {
  let onRequest = (_request: IncomingMessage): void => undefined;
  const request = new Promise<IncomingMessage>((resolve) => { onRequest = resolve; });
  const started = await server((incoming) => { incoming.pause(); onRequest(incoming); });
  return { server: started, request };
}

/** Resolves when the server's side of the request has closed; says whether the whole body came. */
function serverClosed(request: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => request.once('close', () => resolve(request.complete)));
}

describe('uploadFile', () => {
  it('PUTs a multi-MiB file byte for byte with the given headers, an exact Content-Length and monotonic progress', async () => {
    const payload = randomPayload(5 * MIB + 7);
    const path = files().file('photo.jpg', payload);
    const seen: { headers?: IncomingMessage['headers']; hash?: string; length?: number } = {};
    const target = await server(async (request, response) => {
      const body = await readBody(request);
      Object.assign(seen, { headers: request.headers, hash: sha256(body), length: body.length });
      response.writeHead(201, { Location: '/files/photo.jpg' }).end('stored');
    });
    const keepAlive = vi.spyOn(Socket.prototype, 'setKeepAlive');
    const progress: number[] = [];
    const headers = { Authorization: 'Basic ZmVycnk6c2VjcmV0', Cookie: 'slot=1', Expires: 'Tue, 1 Jan 2030 00:00:00 GMT' };
    const result = await put(`${target.origin}/upload/photo.jpg`, path, payload.length, {
      headers, contentType: 'image/jpeg', onProgress: (sent) => progress.push(sent),
    });
    expect(result).toMatchObject({ status: 201, body: 'stored', location: `${target.origin}/files/photo.jpg` });
    expect(seen.hash).toBe(sha256(payload));
    expect(seen.headers).toMatchObject({
      authorization: headers.Authorization, cookie: headers.Cookie, expires: headers.Expires,
      'content-type': 'image/jpeg', 'content-length': String(payload.length),
    });
    expect(progress.every((sent, i) => i === 0 || sent > progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBe(payload.length);
    expect(keepAlive).toHaveBeenCalledWith(true, expect.any(Number));
  });

  it('rejects with kind "aborted" when the signal fires mid-upload, and the server sees the connection close', async () => {
    const { server: target, request } = await pausedServer();
    const controller = new AbortController();
    const uploading = put(target.origin, sparseFile(64 * MIB), 64 * MIB, {
      signal: controller.signal, onProgress: () => controller.abort(),
    });
    const error = await failure(uploading);
    expect(error.kind).toBe('aborted');
    expect(error.message).toBe('the upload was cancelled');
    const incoming = await request;
    const closed = serverClosed(incoming);
    incoming.resume();
    expect(await closed).toBe(false);
  });

  it('fails with kind "stalled" within a bounded time when the server stops reading, and closes the connection', async () => {
    const { server: target, request } = await pausedServer();
    const startedAt = Date.now();
    const error = await failure(put(target.origin, sparseFile(64 * MIB), 64 * MIB, { stallTimeoutMs: 300 }));
    expect(error.kind).toBe('stalled');
    expect(error.message).toMatch(/stalled: no bytes were accepted for 0\.3 s/);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    const incoming = await request;
    const closed = serverClosed(incoming);
    incoming.resume();
    expect(await closed).toBe(false);
  });

  it.each([
    [413, 'Payload Too Large'],
    [403, 'Forbidden'],
    [401, 'Unauthorized'],
  ])('rejects a refusal %i on the headers (Expect: 100-continue) with kind "status" and sends no body', async (status, reason) => {
    // Prosody's http_file_share refuses on the headers (token, Content-Length) and sends 100 only when it accepts.
    const target = await server(() => undefined);
    let bodyBytes = 0;
    target.server.on('checkContinue', (request: IncomingMessage, response) => {
      request.on('data', (chunk: Buffer) => { bodyBytes += chunk.length; });
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end('  refused:\n quota  ');
    });
    const progress: number[] = [];
    const error = await failure(put(target.origin, sparseFile(2 * MIB), 2 * MIB, { onProgress: (sent) => progress.push(sent) }));
    expect(error).toMatchObject({ kind: 'status', status, body: 'refused: quota' });
    expect(error.message).toBe(`the server answered ${status} ${reason}: refused: quota`);
    expect(progress).toEqual([]);
    expect(bodyBytes).toBe(0);
  });

  it('rejects an answer 500 after the whole body with kind "status"', async () => {
    const target = await server(async (request, response) => {
      await readBody(request);
      response.writeHead(500).end('disk full');
    });
    const error = await failure(put(target.origin, sparseFile(2 * MIB), 2 * MIB));
    expect(error).toMatchObject({ kind: 'status', status: 500, message: 'the server answered 500 Internal Server Error: disk full' });
  });

  it('sends the body after a short wait to a server that ignores Expect, and again without it after a 417', async () => {
    const payload = randomPayload(300_000);
    const path = files().file('a.bin', payload);
    const silent = await server(() => undefined);
    silent.server.on('checkContinue', async (request: IncomingMessage, response) => {
      response.writeHead(201).end(sha256(await readBody(request)));
    });
    expect((await put(silent.origin, path, payload.length)).body).toBe(sha256(payload));
    const expectations: (string | undefined)[] = [];
    const refusing = await server(async (request, response) => {
      expectations.push(request.headers.expect);
      response.writeHead(201).end(sha256(await readBody(request)));
    });
    refusing.server.on('checkContinue', (request: IncomingMessage, response) => {
      expectations.push(request.headers.expect);
      response.writeHead(417).end();
    });
    expect((await put(refusing.origin, path, payload.length)).body).toBe(sha256(payload));
    expect(expectations).toEqual(['100-continue', undefined]);
  });

  it('keeps at most maxResponseBytes of the answer', async () => {
    const target = await server(async (request, response) => {
      await readBody(request);
      response.writeHead(200).end('x'.repeat(10_000));
    });
    const result = await put(target.origin, files().file('a.txt', Buffer.from('hello')), 5, { maxResponseBytes: 100 });
    expect(result.body).toBe('x'.repeat(100));
  });

  it('fails with kind "short" before connecting when the file is smaller than announced', async () => {
    const target = await server((_request, response) => response.end());
    const error = await failure(put(target.origin, files().file('a.txt', Buffer.from('hello')), 6));
    expect(error.kind).toBe('short');
    expect(error.message).toBe('the file a.txt is 5 bytes, not the 6 announced: it changed since it was offered');
    expect(target.sockets).toHaveLength(0);
  });

  it('fails with kind "short" instead of hanging when the file shrinks during the upload', async () => {
    const target = await server((request) => { request.resume(); });
    const path = sparseFile(64 * MIB);
    let isTruncated = false;
    const error = await failure(put(target.origin, path, 64 * MIB, {
      onProgress: () => { if (!isTruncated) { isTruncated = true; truncateSync(path, 0); } },
    }));
    expect(error.kind).toBe('short');
    expect(error.message).toMatch(/^the file sparse\.bin ended after \d+ of 67108864 bytes: it changed while it was being sent$/);
  });

  it('uploads over https to a server whose certificate the given CA signed', async () => {
    const certificate = trustedCertificate();
    const target = await server(async (request, response) => {
      response.writeHead(201).end(String((await readBody(request)).length));
    }, certificate);
    const result = await put(target.origin, files().file('a.bin', randomPayload(100_000)), 100_000, { ca: [certificate.ca] });
    expect(result).toMatchObject({ status: 201, body: '100000' });
  });

  it('refuses with kind "tls" a server whose certificate nothing trusts', async () => {
    const target = await server((_request, response) => response.end(), untrustedCertificate());
    const error = await failure(put(target.origin, files().file('a.bin', randomPayload(10)), 10, { ca: [trustedCertificate().ca] }));
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted: /);
  });

  it('refuses a non-http address with kind "scheme"', async () => {
    const error = await failure(put('ftp://example.org/file', files().file('a.bin', randomPayload(10)), 10));
    expect(error.kind).toBe('scheme');
  });
});
