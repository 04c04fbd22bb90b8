import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Largest file the browser may stage through `PUT /upload` (8 GiB). */
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
const MAX_NAME_CHARS = 200;
// C0/C1 controls, bidi overrides and isolates, zero-width and BOM characters.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g; // eslint-disable-line no-control-regex
const RESERVED_CHARS = /[<>:"/\\|?*]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name from the browser made harmless: no directories, control or bidi characters,
 * Windows-reserved characters or names, trailing dots or spaces; capped in length; never empty.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  let name = base.replace(UNSAFE_CHARS, '').replace(RESERVED_CHARS, '_').replace(/[. ]+$/, '').trim();
  if (name.startsWith('.')) name = `_${name.slice(1)}`;
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (name.length > MAX_NAME_CHARS) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, MAX_NAME_CHARS - ext.length) + ext;
  }
  return name.length > 0 ? name : 'file';
}

class SizeLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new UploadTooLarge());
    else done(null, chunk);
  }
}

class UploadTooLarge extends Error {}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
  response.end(`${JSON.stringify(body)}\n`);
}

/**
 * Streams the request body to `<stagingDir>/<random>/<sanitized name>` (a fresh folder per upload keeps
 * the user's file name, which the peer will see) and answers `{"path"}`. Never buffers the body;
 * refuses bodies over maxBytes (413) and deletes what was written when anything fails.
 */
export async function receiveUpload(options: {
  request: IncomingMessage;
  response: ServerResponse;
  stagingDir: string;
  rawName: string;
  headers: Record<string, string>;
  maxBytes?: number;
  /** Told the path of a complete upload before it is answered (the host allows it in transfer.send). */
  onStaged?: (path: string) => void;
}): Promise<void> {
  const { request, response, headers } = options;
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared > maxBytes) {
    answer(response, 413, { error: 'file too large' }, headers);
    request.resume();
    return;
  }
  const folder = join(options.stagingDir, randomBytes(12).toString('hex'));
  const path = join(folder, sanitizeFileName(options.rawName));
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await pipeline(request, new SizeLimit(maxBytes), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    options.onStaged?.(path);
    answer(response, 200, { path }, headers);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    const isTooLarge = error instanceof UploadTooLarge;
    answer(response, isTooLarge ? 413 : 400, { error: isTooLarge ? 'file too large' : 'upload failed' }, headers);
  }
}
