import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../../../electron/transport/http/httpError';
import { uploadMultipart, type MultipartUploadOptions } from '../../../../../electron/transport/http/multipartUpload';
import { startServer, tempDir } from '../../../../support/httpServers';
import { MIB, randomPayload, settleTcpHandles, sha256, tcpHandleCount } from '../../../../support/transportHelpers';

let baseline = 0;
const cleanups: (() => unknown)[] = [];
beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

/** What the server parsed, in the order busboy reported it. */
interface Parsed {
  parts: { kind: 'field' | 'file'; name: string; value?: string; filename?: string; mimeType?: string; sha256?: string; bytes?: number }[];
  contentLength: number;
  received: number;
}

/** A OneTeam-like upload endpoint: counts the raw body bytes and parses it with busboy. */
async function parsingServer(): Promise<{ url: string; parsed: Promise<Parsed> }> {
  let onParsed = (_parsed: Parsed): void => undefined;
  const parsed = new Promise<Parsed>((resolve) => { onParsed = resolve; });
  const server = await startServer((request: IncomingMessage, response: ServerResponse) => {
    const result: Parsed = { parts: [], contentLength: Number(request.headers['content-length']), received: 0 };
    request.on('data', (chunk: Buffer) => { result.received += chunk.length; });
    const parser = busboy({ headers: request.headers });
    // An aborted upload ends the form early: busboy says so, the test does not care.
    parser.on('error', () => undefined);
    parser.on('field', (name, value) => result.parts.push({ kind: 'field', name, value }));
    parser.on('file', (name, stream, info) => {
      const hash = createHash('sha256');
      const part: Parsed['parts'][number] = { kind: 'file', name, filename: info.filename, mimeType: info.mimeType, bytes: 0 };
      result.parts.push(part);
      stream.on('data', (chunk: Buffer) => { hash.update(chunk); part.bytes! += chunk.length; });
      stream.on('end', () => { part.sha256 = hash.digest('hex'); });
    });
    parser.on('close', () => {
      onParsed(result);
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    });
    request.pipe(parser);
  });
  cleanups.push(() => server.close());
  return { url: `${server.origin}/proxy/upload`, parsed };
}

function files(): ReturnType<typeof tempDir> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return dir;
}

function options(url: string, path: string, size: number, extra: Partial<MultipartUploadOptions> = {}): MultipartUploadOptions {
  return {
    url,
    fields: [['SIDHASH', 'aebf79a080576ab4687837ecf98c0aaf939a6e4a']],
    file: { field: 'FILE', filename: 'TEST', contentType: 'application/octet-stream', path, size },
    signal: new AbortController().signal,
    onProgress: () => undefined,
    ...extra,
  };
}

describe('uploadMultipart', () => {
  it('POSTs SIDHASH then FILE (seed 000) with an exact Content-Length, the file byte for byte', async () => {
    const payload = randomPayload(3 * MIB + 11);
    const path = files().file('TEST', payload);
    const { url, parsed } = await parsingServer();
    const progress: number[] = [];
    const result = await uploadMultipart(options(url, path, payload.length, { onProgress: (sent) => progress.push(sent) }));
    expect(result).toMatchObject({ status: 200, body: 'OK' });
    const seen = await parsed;
    expect(seen.received).toBe(seen.contentLength);
    expect(seen.parts).toEqual([
      { kind: 'field', name: 'SIDHASH', value: 'aebf79a080576ab4687837ecf98c0aaf939a6e4a' },
      { kind: 'file', name: 'FILE', filename: 'TEST', mimeType: 'application/octet-stream', bytes: payload.length, sha256: sha256(payload) },
    ]);
    // Progress counts the file's bytes, not the framing around them.
    expect(progress.every((sent, i) => i === 0 || sent > progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBe(payload.length);
  });

  it('keeps the fields in order and escapes a filename that could break its header line', async () => {
    const payload = Buffer.from('small file');
    const { url, parsed } = await parsingServer();
    const path = files().file('x', payload);
    await uploadMultipart(options(url, path, payload.length, {
      fields: [['SIDHASH', 'abc'], ['NOTE', 'ünïcode value'], ['EMPTY', '']],
      file: { field: 'FILE', filename: 'a "quoted"\r\nX-Evil: 1.txt', contentType: 'text/plain', path, size: payload.length },
    }));
    const seen = await parsed;
    expect(seen.received).toBe(seen.contentLength);
    expect(seen.parts.map((part) => [part.kind, part.name, part.value ?? part.filename])).toEqual([
      ['field', 'SIDHASH', 'abc'],
      ['field', 'NOTE', 'ünïcode value'],
      ['field', 'EMPTY', ''],
      ['file', 'FILE', 'a %22quoted%22%0D%0AX-Evil: 1.txt'],
    ]);
  });

  it('sends an empty file as an empty part', async () => {
    const { url, parsed } = await parsingServer();
    await uploadMultipart(options(url, files().file('empty', Buffer.alloc(0)), 0));
    const seen = await parsed;
    expect(seen.received).toBe(seen.contentLength);
    expect(seen.parts[1]).toMatchObject({ kind: 'file', name: 'FILE', bytes: 0 });
  });

  it('rejects with kind "aborted" when the signal fires mid-upload', async () => {
    const { url } = await parsingServer();
    const controller = new AbortController();
    const uploading = uploadMultipart(options(url, files().file('big', randomPayload(8 * MIB)), 8 * MIB, {
      signal: controller.signal, onProgress: () => controller.abort(),
    }));
    const error = await uploading.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).kind).toBe('aborted');
  });
});
