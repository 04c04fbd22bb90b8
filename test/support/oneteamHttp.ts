/**
 * The HTTP half of the OneTeam bs-proxy test component (oneteamProxy.ts), after seed 000
 * (/work/shared/seeds/000_2c13721ed8d70a96.txt):
 * - I.3 "HTTP POST form with multipart/form-data with two fields, SIDHASH and FILE", parsed as it streams
 *   (busboy) into a temp file, never held whole;
 * - II.3 "Perform a HTTP GET with the URL provided by the proxy (II.2)": the receiver's GET gets the bytes
 *   as they reach the proxy, so it may start before the upload ends (chunked until the upload is complete);
 * - III: the file size for `<progress total/>` from "{Content-Length} - {content length untill file start}
 *   - {boundary length + 2}", counted exactly here: the bytes before the FILE part's data and the closing
 *   delimiter `\r\n--boundary--\r\n`.
 * The seed names no HTTP status; these are: 200 upload stored, 400 malformed form (SIDHASH not first, no
 * FILE), 404 unknown SIDHASH or download, 409 SIDHASH already uploaded or download already taken, 413 too large.
 */
import busboy from 'busboy';
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answer, discardBody, saveBody, writeBody, type SavedBody } from './testHttpServer';

export const UPLOAD_PATH = '/upload';
const READ_CHUNK_BYTES = 64 * 1024;
/** Longest wait of a GET for the next uploaded bytes. */
const DOWNLOAD_IDLE_MS = 30_000;
const MAX_PREFIX_BYTES = 64 * 1024;

/** One transfer, from the receiver's `<connect/>` on. */
export interface OneteamTransfer {
  sid: string;
  senderJid: string;
  receiverJid: string;
  sidHash: string;
  state: 'connected' | 'activated' | 'uploading' | 'uploaded' | 'failed';
  /** The {UUID} of the receiver's URL, once activated. */
  downloadId: string | null;
  /** Temp file of the upload. */
  path: string;
  /** Bytes of FILE on disk so far. */
  written: number;
  /** The size of FILE by the seed's formula (null: no Content-Length). */
  total: number | null;
  isDownloading: boolean;
  listeners: Set<() => void>;
}

/** The HTTP faults (oneteamProxy.ts OneteamProxyFaults). */
export interface OneteamHttpFaults {
  postStatus?: 400 | 404 | 409 | 413;
  getStatus?: 404 | 409;
  maxUploadBytes?: number;
  cutGetAfterBytes?: number;
}

export type OneteamHttpEvent =
  | { type: 'upload'; sidHash: string | null; status: number; bytes: number; sha256: string | null; reason: string }
  | { type: 'download'; sidHash: string; status: number; bytes: number; isComplete: boolean };

export interface OneteamHttpContext {
  transfers: Map<string, OneteamTransfer>;
  faults: OneteamHttpFaults;
  record(event: OneteamHttpEvent): void;
  onUploadStart(transfer: OneteamTransfer): void;
  onUploadEnd(transfer: OneteamTransfer): void;
}

export function notify(transfer: OneteamTransfer): void {
  for (const listener of [...transfer.listeners]) listener();
}

/** Routes POST /upload and GET /{UUID}. */
export async function serveOneteamHttp(context: OneteamHttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (req.method === 'POST' && path === UPLOAD_PATH) return receiveUpload(context, req, res);
  discardBody(req);
  if (req.method !== 'GET') return answer(res, 405, 'method not allowed', { Allow: 'GET' });
  await serveDownload(context, path.slice(1), res);
}

function boundaryOf(contentType: string | undefined): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : null;
}

/** Offset of the first data byte of the part `name` in the raw body: the end of that part's header block. */
function partDataOffset(prefix: Buffer, name: string): number | null {
  const text = prefix.toString('latin1');
  const header = new RegExp(`content-disposition:[^\\r\\n]*\\bname="${name}"`, 'i').exec(text);
  const end = header ? text.indexOf('\r\n\r\n', header.index) : -1;
  return end < 0 ? null : end + 4;
}

/**
 * The SIDHASH value from the raw body. busboy 1.6 gives `undefined` for a field in any charset other than
 * UTF-8, Latin-1 or UTF-16 (its `decoders.other` is an arrow function, so `.bind(charset)` is lost), and
 * the seed's own example sends SIDHASH as `text/plain; charset=ISO-8859-2`: a hex hash reads the same in
 * any ASCII-compatible charset.
 */
function sidHashFromRaw(prefix: Buffer, boundary: string | null): string | null {
  const start = partDataOffset(prefix, 'SIDHASH');
  const end = start === null || !boundary ? -1 : prefix.indexOf(`\r\n--${boundary}`, start, 'latin1');
  return start === null || end < 0 ? null : prefix.subarray(start, end).toString('latin1');
}

function receiveUpload(context: OneteamHttpContext, req: IncomingMessage, res: ServerResponse): void {
  const { faults } = context;
  let transfer: OneteamTransfer | null = null;
  let isAnswered = false;
  let saving: Promise<SavedBody> | null = null;
  let form: busboy.Busboy | null = null;
  const finish = (status: number, reason: string, saved?: SavedBody): void => {
    if (isAnswered) return;
    isAnswered = true;
    req.unpipe();
    discardBody(req);
    if (status !== 200) form?.destroy(); // ends a FILE stream still being saved
    answer(res, status, reason);
    if (transfer && transfer.state === 'uploading') {
      transfer.state = status === 200 ? 'uploaded' : 'failed';
      context.onUploadEnd(transfer);
      notify(transfer);
    }
    const ok = saved?.ok ? saved : null;
    context.record({ type: 'upload', sidHash: transfer?.sidHash ?? null, status, bytes: ok?.bytes ?? transfer?.written ?? 0, sha256: ok?.sha256 ?? null, reason });
  };
  if (faults.postStatus !== undefined) return finish(faults.postStatus, 'refused (fault)');
  try {
    form = busboy({ headers: req.headers, limits: { fields: 4, files: 1, parts: 6, fieldSize: 1024 } });
  } catch {
    return finish(400, 'not multipart/form-data');
  }
  req.once('close', () => { if (!req.complete) finish(400, 'upload aborted'); });
  let prefix = Buffer.alloc(0);
  req.on('data', (chunk: Buffer) => { if (prefix.length < MAX_PREFIX_BYTES) prefix = Buffer.concat([prefix, chunk]); });
  const boundary = boundaryOf(req.headers['content-type']);
  form.on('field', (name, value: string | undefined) => {
    if (isAnswered) return;
    if (name !== 'SIDHASH' || transfer) return finish(400, 'SIDHASH must be the first field, once');
    const sidHash = value ?? sidHashFromRaw(prefix, boundary);
    if (sidHash === null) return finish(400, 'unreadable SIDHASH');
    const found = context.transfers.get(sidHash.trim().toLowerCase());
    if (!found || found.state === 'connected') return finish(404, 'no activated transfer for this SIDHASH');
    if (found.state !== 'activated') return finish(409, 'this SIDHASH was uploaded already');
    transfer = found;
    transfer.state = 'uploading';
  });
  form.on('file', (name, stream) => {
    stream.on('error', () => undefined); // form.destroy() ends it with an error: saveBody sees it as aborted
    if (isAnswered || !transfer || name !== 'FILE' || saving) {
      stream.resume();
      return finish(400, 'FILE must follow SIDHASH, once');
    }
    const current = transfer;
    const contentLength = Number(req.headers['content-length'] ?? Number.NaN);
    const fileStart = partDataOffset(prefix, 'FILE');
    const total = Number.isFinite(contentLength) && fileStart !== null && boundary ? contentLength - fileStart - `\r\n--${boundary}--\r\n`.length : null;
    current.total = total !== null && total >= 0 ? total : null;
    const maxBytes = faults.maxUploadBytes ?? Number.MAX_SAFE_INTEGER;
    if (current.total !== null && current.total > maxBytes) {
      stream.resume();
      return finish(413, `larger than ${maxBytes} bytes`);
    }
    context.onUploadStart(current);
    saving = saveBody(stream, current.path, maxBytes, (written) => { current.written = written; notify(current); });
    void saving.then((saved) => { if (!saved.ok) finish(saved.reason === 'too-large' ? 413 : 400, saved.reason, saved); });
  });
  form.on('close', () => {
    if (!saving) return finish(400, 'no FILE field');
    void saving.then((saved) => { if (saved.ok) finish(200, 'stored', saved); });
  });
  form.on('error', () => finish(400, 'malformed multipart body'));
  req.pipe(form);
}

/** Resolves when the transfer changes; rejects after idleMs. */
function changed(transfer: OneteamTransfer, idleMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { transfer.listeners.delete(wake); reject(new Error('upload stalled')); }, idleMs);
    const wake = (): void => { clearTimeout(timer); transfer.listeners.delete(wake); resolve(); };
    transfer.listeners.add(wake);
  });
}

/** The uploaded bytes in order, as they reach the disk; throws when the upload fails. */
async function* uploadedBytes(transfer: OneteamTransfer): AsyncIterable<Buffer> {
  let position = 0;
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    for (;;) {
      if (transfer.state === 'failed') throw new Error('upload failed');
      if (position < transfer.written) {
        handle ??= await open(transfer.path, 'r');
        const length = Math.min(READ_CHUNK_BYTES, transfer.written - position);
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(length), 0, length, position);
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      } else if (transfer.state === 'uploaded') {
        return;
      } else {
        await changed(transfer, DOWNLOAD_IDLE_MS);
      }
    }
  } finally {
    await handle?.close();
  }
}

async function serveDownload(context: OneteamHttpContext, id: string, res: ServerResponse): Promise<void> {
  const transfer = [...context.transfers.values()].find((t) => t.downloadId !== null && t.downloadId === id);
  const refuse = (status: number, reason: string): void => {
    answer(res, status, reason);
    if (transfer) context.record({ type: 'download', sidHash: transfer.sidHash, status, bytes: 0, isComplete: false });
  };
  if (context.faults.getStatus !== undefined) return refuse(context.faults.getStatus, 'refused (fault)');
  if (!transfer) return answer(res, 404, 'no such download');
  if (transfer.isDownloading) return refuse(409, 'this download was taken already');
  transfer.isDownloading = true;
  const isWhole = transfer.state === 'uploaded';
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', ...(isWhole ? { 'Content-Length': String(transfer.written) } : {}) });
  res.flushHeaders();
  let bytes = 0;
  let isComplete = false;
  async function* counted(): AsyncIterable<Buffer> {
    for await (const chunk of uploadedBytes(transfer!)) {
      bytes += chunk.length;
      yield chunk;
    }
  }
  try {
    bytes = await writeBody(res, counted(), context.faults.cutGetAfterBytes);
    isComplete = !res.destroyed && transfer.state === 'uploaded' && bytes === transfer.written;
  } catch {
    res.destroy(); // a chunked body with no last chunk: the receiver sees it was cut
  }
  context.record({ type: 'download', sidHash: transfer.sidHash, status: 200, bytes, isComplete });
}
