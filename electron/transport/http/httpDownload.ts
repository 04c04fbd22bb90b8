/**
 * A streaming GET of a file: XEP-0363 links, Kontalk media, the OneTeam proxy's download URL. Resumes
 * with a Range from the bytes already on disk, follows a bounded number of redirects under an address
 * policy, and hands the body over as a ByteStream so it takes the same receive path as any transport.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { ByteStream } from '../byteStream';
import { abortedError, describeRequestError, HttpError, statusError } from './httpError';
import { collectText, openRequest } from './httpRequest';
import { placeBody, type BodyPlacement } from './rangeResponse';
import { checkTarget, headersFor, isPlainHttpUrl, MAX_REDIRECTS, nextRedirect, REDIRECT_STATUSES } from './redirectPolicy';
import { createResponseByteStream } from './responseByteStream';

/** How much of a refusal's body is read for its message, and how long Ferry waits for it. */
const ERROR_BODY_BYTES = 4096;
const ERROR_BODY_WAIT_MS = 2000;

/** Options of openDownload. */
export interface DownloadOptions {
  url: string;
  /** Bytes already on disk; above 0 the GET asks for the rest (`Range: bytes=offset-`). */
  offset: number;
  /** Aborting rejects the open with kind 'aborted', or later fails the stream with 'aborted'. */
  signal: AbortSignal;
  /** Redirects followed before kind 'redirects' (default 5). */
  maxRedirects?: number;
  /**
   * Asked for the first address and every redirect target, after Ferry's own checks (http or https only,
   * never https→http); false refuses with kind 'scheme'. Default: no user name or password in the URL.
   */
  isAllowedUrl?(url: URL): boolean;
  /** TCP connect plus TLS handshake, per request (default 30 s). */
  connectTimeoutMs?: number;
  /** Extra request headers; Authorization and Cookie are dropped on a redirect to another origin. */
  headers?: Record<string, string>;
  /** Extra trusted CAs (PEM): tests only. */
  ca?: string[];
}

/** An accepted answer: where its body goes, and the body itself. */
export interface Download extends BodyPlacement {
  contentType: string | null;
  /** The address that answered, after redirects. */
  finalUrl: string;
  /**
   * The body (read side only): `progress.received` counts body bytes, from `offset`. Its end resolves
   * pipeTo; a connection lost first fails it. With `length` null the caller enforces the size it expects.
   * A socket silent for 60 s (httpRequest.ts IDLE_TIMEOUT_MS) fails it too, also while the sink holds it.
   */
  stream: ByteStream;
}

/**
 * Sends the GET and follows redirects until a 200 or 206 answer. When `offset` > 0 and the answer is a
 * 200, the server ignored the range: `offset` is 0 and the caller must truncate its file first. Rejects
 * with an HttpError: 'status' (including 416), 'range', 'redirects', 'scheme', 'tls', 'network', 'aborted'.
 */
export async function openDownload(options: DownloadOptions): Promise<Download> {
  if (options.signal.aborted) throw abortedError('download');
  const isAllowedUrl = options.isAllowedUrl ?? isPlainHttpUrl;
  const first = parseAddress(options.url);
  checkTarget(first, null, isAllowedUrl);
  const visited = new Set<string>();
  let url = first;
  // Bounded: each pass adds an address, and nextRedirect throws once more than maxRedirects were added.
  for (;;) {
    visited.add(url.href);
    const { request, response } = await get(url, requestHeaders(options, first, url), options);
    const status = response.statusCode ?? 0;
    if (!REDIRECT_STATUSES.has(status)) return accept(request, response, url, options);
    request.destroy();
    url = nextRedirect({ from: url, location: response.headers.location, visited, maxRedirects: options.maxRedirects ?? MAX_REDIRECTS, isAllowedUrl });
  }
}

function parseAddress(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new HttpError('scheme', `"${raw}" is not a valid address`);
  }
}

function requestHeaders(options: DownloadOptions, first: URL, url: URL): Record<string, string> {
  const headers: Record<string, string> = { ...headersFor(options.headers ?? {}, first, url) };
  // The bytes of the file itself: a range of a compressed representation could not be resumed.
  headers['Accept-Encoding'] = 'identity';
  if (options.offset > 0) headers.Range = `bytes=${options.offset}-`;
  return headers;
}

/** One GET, resolved at the response's headers. */
function get(url: URL, headers: Record<string, string>, options: DownloadOptions): Promise<{ request: ClientRequest; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const request = openRequest({ method: 'GET', url, headers, ca: options.ca, connectTimeoutMs: options.connectTimeoutMs });
    const onAbort = (): void => { request.destroy(abortedError('download')); };
    options.signal.addEventListener('abort', onAbort, { once: true });
    // Stays attached for the request's life: after the response the stream reports errors itself.
    request.on('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(describeRequestError(error, url.host));
    });
    request.once('response', (response) => {
      options.signal.removeEventListener('abort', onAbort);
      resolve({ request, response });
    });
    request.end();
  });
}

/** A 200 or 206 with a sound range becomes a Download; anything else an HttpError (with its body's start). */
async function accept(request: ClientRequest, response: IncomingMessage, url: URL, options: DownloadOptions): Promise<Download> {
  const status = response.statusCode ?? 0;
  if (status !== 200 && status !== 206) {
    const body = await errorBody(response);
    request.destroy();
    throw statusError(status, body);
  }
  let placement: BodyPlacement;
  try {
    placement = placeBody(status, response.headers, options.offset);
  } catch (error) {
    request.destroy();
    throw error;
  }
  const stream = createResponseByteStream(request, response, options.signal);
  return { ...placement, contentType: response.headers['content-type'] ?? null, finalUrl: url.href, stream };
}

/** The start of a refusal's body, waited for briefly (a server may keep it open). */
async function errorBody(response: IncomingMessage): Promise<string> {
  const collected = collectText(response, ERROR_BODY_BYTES);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => { timer = setTimeout(resolve, ERROR_BODY_WAIT_MS); });
  await Promise.race([collected.done, waited]);
  clearTimeout(timer);
  return collected.text();
}
