/**
 * The part of an HTTP exchange that uploads and downloads share: one ClientRequest on its own connection,
 * TLS always verified, TCP keepalive, a bounded connect and a bounded idle time.
 *
 * Node's own http/https rather than a client library (undici, got, axios): Ferry needs what they hide.
 * Upload progress must count bytes the socket accepted (write callbacks), not bytes handed to a library's
 * buffer; downloads need the raw IncomingMessage to apply backpressure to the socket and to tell a body
 * cut short from a clean end; and each exchange needs its socket for keepalive and timeouts.
 */
import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { KEEPALIVE_INITIAL_DELAY_MS } from '../socketByteStream';
import { HttpError } from './httpError';

/** How long connecting (TCP plus the TLS handshake) may take by default. */
const CONNECT_TIMEOUT_MS = 30_000;
/** How long the socket may stay silent (no byte either way) before the exchange fails as stalled. */
const IDLE_TIMEOUT_MS = 60_000;

/** One request on a connection of its own. */
export interface RequestOptions {
  method: 'GET' | 'PUT' | 'POST';
  url: URL;
  headers: Record<string, string>;
  /** Extra trusted CAs (PEM), on top of Node's roots: for tests against a private CA. */
  ca?: string[];
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
}

/** `raw` as a URL if it parses and is http: or https:; HttpError 'scheme' otherwise. */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError('scheme', `"${raw}" is not a valid address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError('scheme', `${url.protocol}// addresses are not supported, only http and https (${url.href})`);
  }
  return url;
}

/**
 * Starts the request; the caller writes the body and ends it. Connect and idle timeouts destroy it with an
 * HttpError ('network', 'stalled'), which the request's 'error' event carries. The connection is not kept
 * for reuse (`agent: false`): every transfer gets its own socket, its own keepalive and its own end.
 */
export function openRequest(options: RequestOptions): ClientRequest {
  const { url } = options;
  const transport = url.protocol === 'https:' ? https : http;
  const request = transport.request(url, {
    method: options.method,
    headers: options.headers,
    agent: false,
    // Node verifies certificates by default; `ca` only adds roots and never turns verification off.
    ...(options.ca ? { ca: [...tls.rootCertificates, ...options.ca] } : {}),
  });
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  request.once('socket', (socket: Socket) => socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS));
  const timer = setTimeout(() => {
    request.destroy(new HttpError('network', `could not connect to ${url.host} within ${formatSeconds(connectTimeoutMs)}`));
  }, connectTimeoutMs);
  timer.unref();
  onConnected(request, url, () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  request.setTimeout(idleTimeoutMs, () => {
    request.destroy(new HttpError('stalled', `${url.host} sent nothing and took nothing for ${formatSeconds(idleTimeoutMs)}`));
  });
  return request;
}

/** Calls `listener` once the request's connection is up: TCP connected, and for https the TLS handshake done. */
export function onConnected(request: ClientRequest, url: URL, listener: () => void): void {
  request.once('socket', (socket: Socket) => {
    // agent: false gives every request a fresh socket, so it is still connecting when 'socket' fires.
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', listener);
  });
}

/** The body headers Ferry sets, replacing any the caller gave in another letter case. */
export function withBodyHeaders(given: Record<string, string>, body: { contentType: string; contentLength: number }): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type' && lower !== 'content-length') headers[name] = value;
  }
  headers['Content-Type'] = body.contentType;
  headers['Content-Length'] = String(body.contentLength);
  return headers;
}

/** Response headers as plain strings; repeated headers (Set-Cookie) joined with ", ". */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The start of a response body as text: whatever arrived, and whether the body ended cleanly. */
export interface CollectedText {
  text(): string;
  /** Resolves true at the body's end (or when the limit was reached), false when it was cut short. */
  readonly done: Promise<boolean>;
}

/** Reads `response` up to `maxBytes` (then stops reading and destroys it); never rejects. */
export function collectText(response: IncomingMessage, maxBytes: number): CollectedText {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const done = new Promise<boolean>((resolve) => {
    response.on('data', (chunk: Buffer) => {
      const room = maxBytes - bytes;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      bytes += Math.min(chunk.length, room);
      if (bytes >= maxBytes) { resolve(true); response.destroy(); }
    });
    response.once('end', () => resolve(true));
    response.once('error', () => resolve(false));
    response.once('close', () => resolve(response.complete));
  });
  return { text: () => Buffer.concat(chunks).toString('utf8'), done };
}

/** "2 s", "0.5 s", "0.15 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}
