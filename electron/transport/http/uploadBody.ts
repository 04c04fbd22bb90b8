/**
 * The engine under both uploads (httpUpload.ts, multipartUpload.ts): a body made of fixed bytes before
 * the file, the file streamed from disk, and fixed bytes after it, sent with an exact Content-Length.
 * Progress counts only file bytes the socket accepted (write callbacks), so the bar never runs ahead of
 * the network; at most SEND_QUEUE_BYTES are read ahead of it.
 *
 * The request asks `Expect: 100-continue` (RFC 9110 §10.1.1) and sends the body on the 100, or after
 * EXPECT_CONTINUE_WAIT_MS without one. A server that refuses on the headers (Prosody's http_file_share:
 * 401, 409, 413 on Content-Length) then answers before any body byte. Without it the refusal races the
 * body: the server closes, the next write fails with EPIPE, Node destroys the socket with the answer
 * still unread, and the user sees "connection closed" instead of "413 Payload Too Large".
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { basename } from 'node:path';
import { abortedError, describeRequestError, HttpError, statusError } from './httpError';
import { collectText, flattenHeaders, formatSeconds, onConnected, openRequest, parseHttpUrl, withBodyHeaders } from './httpRequest';

/** No body byte accepted by the socket for this long fails the upload as 'stalled' (default). */
const UPLOAD_STALL_TIMEOUT_MS = 30_000;
/** How much of the server's answer is kept (default). */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** File bytes read but not yet accepted by the socket before reading pauses. */
const SEND_QUEUE_BYTES = 2 * 1024 * 1024;
/** How long after connecting the body waits for a 100 Continue (curl waits 1 s too). */
const EXPECT_CONTINUE_WAIT_MS = 1000;
/** Size of one file read. */
const FILE_CHUNK_BYTES = 256 * 1024;

/** What the server answered to a successful (2xx) upload. */
export interface UploadResult {
  status: number;
  /** Response headers, lower-case names; repeated ones joined with ", ". */
  headers: Record<string, string>;
  /** The response body as text, up to maxResponseBytes. */
  body: string;
  /** The Location header resolved against the upload URL, or null. */
  location: string | null;
}

/** The body: `head`, then `size` bytes of the file at `path`, then `tail`. */
export interface UploadBody {
  head: Buffer;
  path: string;
  size: number;
  tail: Buffer;
}

/** One upload exchange (see uploadFile for the meaning of each option). */
export interface SendUploadOptions {
  method: 'PUT' | 'POST';
  url: string;
  headers: Record<string, string>;
  contentType: string;
  body: UploadBody;
  signal: AbortSignal;
  onProgress(sentFileBytes: number): void;
  stallTimeoutMs?: number;
  maxResponseBytes?: number;
  ca?: string[];
}

/** Sends the body and reads the answer; rejects with an HttpError. */
export async function sendUpload(options: SendUploadOptions): Promise<UploadResult> {
  if (options.signal.aborted) throw abortedError('upload');
  const url = parseHttpUrl(options.url);
  await checkFile(options.body);
  if (options.signal.aborted) throw abortedError('upload');
  const exchange = (isExpecting: boolean): Promise<UploadResult> => new Promise<UploadResult>((resolve, reject) => {
    new UploadExchange({ ...options, isExpecting }, url, resolve, reject).start();
  });
  try {
    return await exchange(true);
  } catch (error) {
    // 417 Expectation Failed: the server (or a proxy) refuses Expect. It came before the body, so progress
    // is still 0 and the retry keeps it monotonic.
    if (!(error instanceof HttpError) || error.status !== 417) throw error;
    return exchange(false);
  }
}

/** The file must exist and hold at least the announced bytes; more is fine (only `size` are sent). */
async function checkFile(body: UploadBody): Promise<void> {
  const name = basename(body.path);
  let size: number;
  try {
    const info = await stat(body.path);
    if (!info.isFile()) throw new Error('it is not a regular file');
    size = info.size;
  } catch (error) {
    throw new HttpError('short', `could not read the file ${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (size < body.size) {
    throw new HttpError('short', `the file ${name} is ${size} bytes, not the ${body.size} announced: it changed since it was offered`);
  }
}

interface ExchangeOptions extends SendUploadOptions {
  isExpecting: boolean;
}

class UploadExchange {
  private readonly request: ClientRequest;
  private isBodyBegun = false;
  private continueTimer: NodeJS.Timeout | null = null;
  private file: ReadStream | null = null;
  private isSettled = false;
  private isSent = false;
  private result: UploadResult | null = null;
  /** Body bytes (all of them) the socket accepted: what the stall watchdog watches. */
  private accepted = 0;
  private fileRead = 0;
  private fileAccepted = 0;
  private stallTimer: NodeJS.Timeout | null = null;
  private readonly onAbort = (): void => this.fail(abortedError('upload'));
  /** Set once a non-2xx answer arrived: later socket errors must not hide it. */
  private refusal: { status: number; text: () => string } | null = null;

  constructor(
    private readonly options: ExchangeOptions,
    private readonly url: URL,
    private readonly resolve: (result: UploadResult) => void,
    private readonly reject: (error: HttpError) => void,
  ) {
    const { head, size, tail } = options.body;
    const headers = withBodyHeaders(options.headers, { contentType: options.contentType, contentLength: head.length + size + tail.length });
    if (options.isExpecting) headers.Expect = '100-continue';
    this.request = openRequest({ method: options.method, url, headers, ca: options.ca });
  }

  start(): void {
    this.request.on('error', (error) => {
      if (this.refusal) this.fail(statusError(this.refusal.status, this.refusal.text()));
      else this.fail(describeRequestError(error, this.url.host));
    });
    this.request.once('response', (response) => this.onResponse(response));
    this.options.signal.addEventListener('abort', this.onAbort, { once: true });
    if (!this.options.isExpecting) { this.beginBody(); return; }
    this.request.flushHeaders();
    this.request.once('continue', () => this.beginBody());
    onConnected(this.request, this.url, () => {
      if (this.isBodyBegun || this.isSettled) return;
      this.continueTimer = setTimeout(() => this.beginBody(), EXPECT_CONTINUE_WAIT_MS);
    });
  }

  private beginBody(): void {
    if (this.isBodyBegun || this.isSettled) return;
    this.isBodyBegun = true;
    if (this.continueTimer) clearTimeout(this.continueTimer);
    this.watchStall(this.options.stallTimeoutMs ?? UPLOAD_STALL_TIMEOUT_MS);
    const { head } = this.options.body;
    if (head.length > 0) this.request.write(head, this.onWritten(head.length, false));
    this.sendFile();
  }

  private sendFile(): void {
    const { path, size } = this.options.body;
    if (size === 0) { this.finishBody(); return; }
    const file = createReadStream(path, { start: 0, end: size - 1, highWaterMark: FILE_CHUNK_BYTES });
    this.file = file;
    file.on('data', (chunk) => {
      const bytes = (chunk as Buffer).length;
      this.fileRead += bytes;
      this.request.write(chunk, this.onWritten(bytes, true));
      if (this.fileRead - this.fileAccepted >= SEND_QUEUE_BYTES) file.pause();
    });
    file.once('end', () => {
      if (this.fileRead === size) { this.finishBody(); return; }
      this.fail(new HttpError('short', `the file ${basename(path)} ended after ${this.fileRead} of ${size} bytes: it changed while it was being sent`));
    });
    file.once('error', (error) => {
      this.fail(new HttpError('short', `could not read the file ${basename(path)}: ${error.message}`, { cause: error }));
    });
  }

  /** A write callback: the socket took `bytes` (or the request died, and the error is reported elsewhere). */
  private onWritten(bytes: number, isFile: boolean): (error?: Error | null) => void {
    return (error) => {
      if (error || this.isSettled) return;
      this.accepted += bytes;
      if (!isFile) return;
      this.fileAccepted += bytes;
      this.options.onProgress(this.fileAccepted);
      if (this.file?.isPaused() && this.fileRead - this.fileAccepted < SEND_QUEUE_BYTES / 2) this.file.resume();
    };
  }

  private finishBody(): void {
    const { tail } = this.options.body;
    this.request.end(tail, () => {
      this.accepted += tail.length;
      this.isSent = true;
      this.stopStall();
      this.resolveIfDone();
    });
  }

  private onResponse(response: IncomingMessage): void {
    const status = response.statusCode ?? 0;
    const collected = collectText(response, this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES);
    if (status < 200 || status > 299) {
      // The server refused (often before reading the whole body: a 413 on Content-Length): stop sending.
      this.refusal = { status, text: collected.text };
      this.file?.destroy();
      this.stopStall();
      void collected.done.then(() => this.fail(statusError(status, collected.text())));
      return;
    }
    // A success before the body was asked for: send it anyway, the answer stands once it is out.
    this.beginBody();
    void collected.done.then((isComplete) => {
      if (!isComplete) {
        this.fail(new HttpError('network', `the answer from ${this.url.host} was cut short`));
        return;
      }
      const location = response.headers.location;
      this.result = { status, headers: flattenHeaders(response.headers), body: collected.text(), location: location ? resolveLocation(location, this.url) : null };
      this.resolveIfDone();
    });
  }

  private resolveIfDone(): void {
    if (!this.isSent || !this.result || this.isSettled) return;
    const result = this.result;
    this.cleanUp();
    this.resolve(result);
  }

  private fail(error: HttpError): void {
    if (this.isSettled) return;
    this.cleanUp();
    this.reject(error);
  }

  private cleanUp(): void {
    this.isSettled = true;
    this.stopStall();
    if (this.continueTimer) clearTimeout(this.continueTimer);
    this.options.signal.removeEventListener('abort', this.onAbort);
    this.file?.destroy();
    // Before the answer this closes the connection mid-body: the server sees the upload is incomplete.
    this.request.destroy();
  }

  /** Polls the accepted total a few times per period instead of re-arming a timer per chunk. */
  private watchStall(timeoutMs: number): void {
    let last = this.accepted;
    let lastAt = Date.now();
    this.stallTimer = setInterval(() => {
      if (this.accepted !== last) { last = this.accepted; lastAt = Date.now(); return; }
      if (Date.now() - lastAt < timeoutMs) return;
      this.fail(new HttpError('stalled', `the upload to ${this.url.host} stalled: no bytes were accepted for ${formatSeconds(timeoutMs)}`));
    }, Math.max(10, Math.floor(timeoutMs / 4)));
    this.stallTimer.unref();
  }

  private stopStall(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
  }
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}
