import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { receiveInto } from '../../../../../electron/transfer/streams/receiveInto';
import { openDownload, type Download, type DownloadOptions } from '../../../../../electron/transport/http/httpDownload';
import { HttpError } from '../../../../../electron/transport/http/httpError';
import { serveRange, startServer, trustedCertificate, untrustedCertificate, type TestCertificate, type TestServer } from '../../../../support/httpServers';
import { hashingSink, randomPayload, settleTcpHandles, sha256, tcpHandleCount } from '../../../../support/transportHelpers';

let baseline = 0;
const cleanups: (() => unknown)[] = [];
beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

const payload = randomPayload(1_234_567);

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A server dispatching on the path; unknown paths answer 404. Records every request's path and headers. */
async function routes(table: Record<string, Route>, tls?: TestCertificate): Promise<TestServer & { seen: IncomingMessage['headers'][]; paths: string[] }> {
  const seen: IncomingMessage['headers'][] = [];
  const paths: string[] = [];
  const handler: RequestListener = (request, response) => {
    seen.push(request.headers);
    paths.push(request.url ?? '');
    const route = table[request.url ?? ''];
    if (route) route(request, response);
    else response.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such file');
  };
  const server = await startServer(handler, tls);
  cleanups.push(() => server.close());
  return Object.assign(server, { seen, paths });
}

const redirect = (status: number, location: string): Route => (_request, response) => {
  response.writeHead(status, { Location: location }).end();
};

function download(url: string, extra: Partial<DownloadOptions> = {}): Promise<Download> {
  return openDownload({ url, offset: 0, signal: new AbortController().signal, ...extra }).then((opened) => {
    cleanups.push(() => opened.stream.dispose());
    return opened;
  });
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

/** Receives the body as the transfer code does; returns the sha-256 of what arrived. */
async function receive(opened: Download, length: number): Promise<string> {
  const { sink, digest } = hashingSink();
  await receiveInto(opened.stream, { writable: sink }, length);
  return digest();
}

describe('openDownload', () => {
  it('downloads a whole file (200) into receiveInto, and the stream ends closed', async () => {
    const server = await routes({ '/file': (request, response) => serveRange(request, response, payload) });
    const opened = await download(`${server.origin}/file`);
    expect(opened).toMatchObject({ status: 200, offset: 0, length: payload.length, total: payload.length, contentType: 'application/octet-stream', finalUrl: `${server.origin}/file` });
    expect(server.seen[0].range).toBeUndefined();
    expect(server.seen[0]['accept-encoding']).toBe('identity');
    expect(await receive(opened, payload.length)).toBe(sha256(payload));
    expect(opened.stream.progress.received).toBe(payload.length);
    expect(opened.stream.state).toBe('closed');
  });

  it('resumes from the offset with Range and gets a 206 (RFC 9110 §14.2)', async () => {
    const server = await routes({ '/file': (request, response) => serveRange(request, response, payload) });
    const offset = 300_001;
    const opened = await download(`${server.origin}/file`, { offset });
    expect(server.seen[0].range).toBe(`bytes=${offset}-`);
    expect(opened).toMatchObject({ status: 206, offset, length: payload.length - offset, total: payload.length });
    expect(await receive(opened, payload.length - offset)).toBe(sha256(payload.subarray(offset)));
  });

  it('reports offset 0 when the server ignores Range and sends everything (200)', async () => {
    const server = await routes({ '/file': (_request, response) => response.writeHead(200, { 'Content-Length': payload.length }).end(payload) });
    const opened = await download(`${server.origin}/file`, { offset: 1000 });
    expect(opened).toMatchObject({ status: 200, offset: 0, length: payload.length });
    expect(await receive(opened, payload.length)).toBe(sha256(payload));
  });

  it('refuses a 206 whose Content-Range starts elsewhere with kind "range"', async () => {
    const server = await routes({
      '/file': (_request, response) => {
        response.writeHead(206, { 'Content-Range': `bytes 0-99/${payload.length}`, 'Content-Length': 100 }).end(payload.subarray(0, 100));
      },
    });
    const error = await failure(download(`${server.origin}/file`, { offset: 500 }));
    expect(error).toMatchObject({ kind: 'range', message: 'the server sent the file from byte 0, not from byte 500 as asked' });
  });

  it('refuses 416 and 404 with kind "status" and their status', async () => {
    const server = await routes({ '/file': (request, response) => serveRange(request, response, payload) });
    expect(await failure(download(`${server.origin}/file`, { offset: payload.length }))).toMatchObject({ kind: 'status', status: 416 });
    expect(await failure(download(`${server.origin}/missing`))).toMatchObject({
      kind: 'status', status: 404, message: 'the server answered 404 Not Found: no such file',
    });
  });

  it('follows a chain of 301, 302, 303, 307 and 308, relative ones included', async () => {
    const server = await routes({
      '/a': redirect(301, '/b'), '/b': redirect(302, 'c'), '/c': redirect(303, '/d?x=1'),
      '/d?x=1': redirect(307, '/e'), '/e': redirect(308, '/file'),
      '/file': (request, response) => serveRange(request, response, payload),
    });
    const opened = await download(`${server.origin}/a`, { offset: 10 });
    expect(opened).toMatchObject({ status: 206, offset: 10, finalUrl: `${server.origin}/file` });
    expect(server.paths).toEqual(['/a', '/b', '/c', '/d?x=1', '/e', '/file']);
    expect(server.seen.every((headers) => headers.range === 'bytes=10-')).toBe(true);
  });

  it('refuses a redirect loop and more than maxRedirects with kind "redirects"', async () => {
    const server = await routes({ '/a': redirect(302, '/b'), '/b': redirect(302, '/a'), '/1': redirect(302, '/2'), '/2': redirect(302, '/3'), '/3': redirect(302, '/4') });
    expect(await failure(download(`${server.origin}/a`))).toMatchObject({ kind: 'redirects', message: `the server redirected in a loop (back to ${server.origin}/a)` });
    expect(await failure(download(`${server.origin}/1`, { maxRedirects: 1 }))).toMatchObject({ kind: 'redirects', message: 'too many redirects (more than 1)' });
    expect(server.paths).toEqual(['/a', '/b', '/1', '/2']);
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/file'])('refuses a redirect to %s with kind "scheme"', async (target) => {
    const server = await routes({ '/a': redirect(302, target) });
    const error = await failure(download(`${server.origin}/a`));
    expect(error.kind).toBe('scheme');
    expect(error.message).toMatch(/which is not an http or https address$/);
  });

  it('asks isAllowedUrl for the first address and every redirect target', async () => {
    const server = await routes({ '/a': redirect(302, '/b'), '/b': redirect(302, '/private') });
    const asked: string[] = [];
    const isAllowedUrl = (url: URL): boolean => { asked.push(url.pathname); return url.pathname !== '/private'; };
    expect(await failure(download(`${server.origin}/a`, { isAllowedUrl }))).toMatchObject({ kind: 'scheme' });
    expect(asked).toEqual(['/a', '/b', '/private']);
    expect(await failure(download('http://user:pw@127.0.0.1:1/'))).toMatchObject({ kind: 'scheme', message: 'Ferry does not open the address http://127.0.0.1:1/' });
  });

  it('downloads over https with the test CA, refuses an https→http downgrade and an untrusted certificate', async () => {
    const certificate = trustedCertificate();
    const plain = await routes({ '/file': (request, response) => serveRange(request, response, payload) });
    const secure = await routes({ '/file': (request, response) => serveRange(request, response, payload), '/down': redirect(302, `${plain.origin}/file`) }, certificate);
    const ca = [certificate.ca];
    const opened = await download(`${secure.origin}/file`, { ca });
    expect(await receive(opened, payload.length)).toBe(sha256(payload));
    expect(await failure(download(`${secure.origin}/down`, { ca }))).toMatchObject({ kind: 'scheme', message: expect.stringMatching(/from https to unencrypted http/) });
    expect(plain.paths).toEqual([]);
    const untrusted = await routes({ '/file': (request, response) => serveRange(request, response, payload) }, untrustedCertificate());
    const error = await failure(download(`${untrusted.origin}/file`, { ca }));
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted: /);
  });

  it('stops the connect timeout once connected: a body slower than connectTimeoutMs still arrives (http and https)', async () => {
    const certificate = trustedCertificate();
    const slow: Route = (_request, response) => {
      response.writeHead(200, { 'Content-Length': payload.length }).write(payload.subarray(0, 1000));
      setTimeout(() => response.end(payload.subarray(1000)), 400);
    };
    for (const server of [await routes({ '/slow': slow }), await routes({ '/slow': slow }, certificate)]) {
      const opened = await download(`${server.origin}/slow`, { connectTimeoutMs: 150, ca: [certificate.ca] });
      expect(await receive(opened, payload.length)).toBe(sha256(payload));
    }
  });

  it('fails with kind "network" when the TLS handshake does not finish within connectTimeoutMs', async () => {
    const accepted: Socket[] = [];
    const silent = createTcpServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => { accepted.forEach((socket) => socket.destroy()); silent.close(resolve); }));
    const port = (silent.address() as { port: number }).port;
    const error = await failure(download(`https://127.0.0.1:${port}/`, { connectTimeoutMs: 200 }));
    expect(error).toMatchObject({ kind: 'network', message: `could not connect to 127.0.0.1:${port} within 0.2 s` });
  });
});
