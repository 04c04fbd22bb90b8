/**
 * One file as a whole request body: the PUT of XEP-0363 HTTP File Upload (and a plain POST where a
 * service wants one). The file is streamed from disk, never read whole.
 */
import { sendUpload, type UploadResult } from './uploadBody';

export type { UploadResult } from './uploadBody';

/** Options of uploadFile. */
export interface UploadFileOptions {
  method: 'PUT' | 'POST';
  url: string;
  /** Sent as given (XEP-0363 slot headers: Authorization, Cookie, Expires), plus Content-Length and Content-Type. */
  headers: Record<string, string>;
  /** The file on disk. */
  path: string;
  /** Bytes to send: the size announced for the file. A file with fewer bytes fails with kind 'short'. */
  size: number;
  contentType: string;
  signal: AbortSignal;
  /** File bytes the socket accepted so far (write callbacks, not disk reads); monotonic, ends at size. */
  onProgress(sentBytes: number): void;
  /** No byte accepted for this long fails with kind 'stalled' (default 30 s). */
  stallTimeoutMs?: number;
  /** How much of the server's answer is read and kept as text (default 64 KiB). */
  maxResponseBytes?: number;
  /** Extra trusted CAs (PEM): tests only. */
  ca?: string[];
}

/**
 * Uploads `size` bytes of the file at `path` as the body, with an exact Content-Length. Resolves with the
 * server's 2xx answer; rejects with an HttpError: 'status' for any other answer (with a snippet of its
 * body), 'aborted', 'stalled', 'short' (the file shrank), 'tls', 'network', 'scheme'.
 */
export function uploadFile(options: UploadFileOptions): Promise<UploadResult> {
  return sendUpload({
    ...options,
    body: { head: Buffer.alloc(0), path: options.path, size: options.size, tail: Buffer.alloc(0) },
  });
}
