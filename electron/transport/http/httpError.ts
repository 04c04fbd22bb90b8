/**
 * The one error type of Ferry's HTTP client: a kind the transfer code can branch on (fall back on a 413,
 * truncate on a refused range, retry on a network error) and a message a user can read as it is.
 */
import { STATUS_CODES } from 'node:http';

/**
 * Why an HTTP exchange failed:
 * - 'status': the server answered with a status Ferry does not accept (`status` says which);
 * - 'scheme': an address Ferry refuses to open (not http/https, an https→http downgrade, credentials in
 *   the URL, or the caller's own policy);
 * - 'redirects': too many redirects, or a loop;
 * - 'range': a 206 whose Content-Range is missing or does not start where Ferry asked;
 * - 'network': DNS, connect, reset, or an answer cut short;
 * - 'tls': the certificate is not trusted, or the handshake failed;
 * - 'aborted': the caller's signal fired;
 * - 'stalled': no bytes moved for the stall timeout (or no answer within the response timeout);
 * - 'short': the local file ended early or could not be read (it changed since it was offered).
 */
export type HttpErrorKind = 'status' | 'scheme' | 'redirects' | 'range' | 'network' | 'tls' | 'aborted' | 'stalled' | 'short';

/** An HTTP failure with a kind to branch on and a plain-English message. */
export class HttpError extends Error {
  readonly kind: HttpErrorKind;
  /** The HTTP status for kind 'status' (and 'range'); null otherwise. */
  readonly status: number | null;
  /** The start of the server's answer for kind 'status' (whitespace collapsed), when it sent one. */
  readonly body: string | null;

  constructor(kind: HttpErrorKind, message: string, options: { status?: number | null; body?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.body = options.body ?? null;
  }
}

/** Characters of the server's answer kept in a status error's message. */
const BODY_SNIPPET_CHARS = 200;

/** "the server answered 413 Payload Too Large: file too big", with a snippet of its answer when it sent text. */
export function statusError(status: number, body = ''): HttpError {
  const reason = STATUS_CODES[status];
  const snippet = snip(body);
  const message = `the server answered ${status}${reason ? ` ${reason}` : ''}${snippet ? `: ${snippet}` : ''}`;
  return new HttpError('status', message, { status, body: snippet || null });
}

function snip(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > BODY_SNIPPET_CHARS ? `${text.slice(0, BODY_SNIPPET_CHARS)}…` : text;
}

/** The caller's signal fired: "the download was cancelled". */
export function abortedError(what: 'upload' | 'download'): HttpError {
  return new HttpError('aborted', `the ${what} was cancelled`);
}

/** TLS verification codes (OpenSSL's, as Node reports them) and what they mean to a user. */
const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is not trusted: it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'is not trusted: its chain ends in a self-signed certificate Ferry does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'is not trusted: it is not signed by an authority Ferry trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'is not trusted: its issuer is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'is not trusted: its issuer is unknown',
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet',
  CERT_REVOKED: 'has been revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'is for a different name',
};

/** What a connect, TLS or socket error means, for `host` (a URL's host, with the port when it has one). */
export function describeRequestError(error: unknown, host: string): HttpError {
  if (error instanceof HttpError) return error;
  const code = typeof error === 'object' && error !== null ? String((error as NodeJS.ErrnoException).code ?? '') : '';
  const detail = error instanceof Error ? error.message : String(error);
  const tlsReason = TLS_REASONS[code];
  if (tlsReason) return new HttpError('tls', `the TLS certificate of ${host} ${tlsReason} (${detail})`, { cause: error });
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /certificate/i.test(detail)) {
    return new HttpError('tls', `the TLS connection to ${host} failed: ${detail}`, { cause: error });
  }
  return new HttpError('network', networkMessage(code, host, detail), { cause: error });
}

function networkMessage(code: string, host: string, detail: string): string {
  switch (code) {
    case 'ECONNREFUSED': return `could not connect to ${host}: the connection was refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `could not find the server ${host} (${code})`;
    case 'ECONNRESET': return `the connection to ${host} was reset`;
    case 'EPIPE': return `the connection to ${host} was closed while Ferry was sending`;
    case 'ETIMEDOUT': return `the connection to ${host} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return `${host} cannot be reached from this network (${code})`;
    default: return `the connection to ${host} failed: ${code ? `${code}: ` : ''}${detail}`;
  }
}
