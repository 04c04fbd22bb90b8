/**
 * A multipart/form-data POST (RFC 7578) of text fields then one file: how the OneTeam bytestream proxy
 * takes a file (seed 000: fields SIDHASH then FILE).
 *
 * form-data lays out the parts (boundary, Content-Disposition with its name and filename escaped as
 * WHATWG HTML does, Content-Type) but the file does not go through it: the form is built with a random
 * marker in place of the file's bytes, and `getBuffer()` split at the marker gives the bytes before and
 * after the file. The Content-Length (before + size + after) is then exact by construction, and the file
 * streams from disk straight into the socket, so progress counts accepted file bytes only.
 */
import { randomBytes } from 'node:crypto';
import FormData from 'form-data';
import { sendUpload, type UploadResult } from './uploadBody';

/** The one file part. */
export interface MultipartFile {
  /** The part's field name ("FILE" for OneTeam). */
  field: string;
  /** The filename parameter; directories are dropped, quotes and line breaks escaped. */
  filename: string;
  contentType: string;
  path: string;
  /** Bytes to send: the size announced for the file. */
  size: number;
}

/** Options of uploadMultipart. */
export interface MultipartUploadOptions {
  url: string;
  /** Extra request headers (Content-Type and Content-Length are Ferry's). */
  headers?: Record<string, string>;
  /** Text fields, sent in this order before the file part. */
  fields: readonly (readonly [name: string, value: string])[];
  file: MultipartFile;
  signal: AbortSignal;
  /** File bytes (not framing) the socket accepted so far; monotonic, ends at file.size. */
  onProgress(sentFileBytes: number): void;
  /** No byte accepted for this long fails with kind 'stalled' (default 30 s). */
  stallTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Extra trusted CAs (PEM): tests only. */
  ca?: string[];
}

/** POSTs the fields and the file; resolves and rejects as uploadFile does (an HttpError on failure). */
export function uploadMultipart(options: MultipartUploadOptions): Promise<UploadResult> {
  const { head, tail, contentType } = frame(options.fields, options.file);
  return sendUpload({
    method: 'POST',
    url: options.url,
    headers: options.headers ?? {},
    contentType,
    body: { head, path: options.file.path, size: options.file.size, tail },
    signal: options.signal,
    onProgress: options.onProgress,
    stallTimeoutMs: options.stallTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    ca: options.ca,
  });
}

/** The bytes before and after the file's content, and the Content-Type carrying the boundary. */
function frame(fields: MultipartUploadOptions['fields'], file: MultipartFile): { head: Buffer; tail: Buffer; contentType: string } {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  // 128 random bits: cannot occur in the fields or headers before it.
  const marker = Buffer.from(`ferry-file-${randomBytes(16).toString('hex')}`);
  form.append(file.field, marker, { filename: file.filename, contentType: file.contentType });
  const whole = form.getBuffer();
  const at = whole.indexOf(marker);
  return {
    head: whole.subarray(0, at),
    tail: whole.subarray(at + marker.length),
    contentType: `multipart/form-data; boundary=${form.getBoundary()}`,
  };
}
