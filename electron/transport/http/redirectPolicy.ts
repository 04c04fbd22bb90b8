/**
 * Which addresses a download may open, and which redirects it follows (RFC 9110 §15.4). Pure: URLs in,
 * a URL or an HttpError out.
 */
import { HttpError } from './httpError';

/** Redirect statuses followed; each is answered with a GET (a download sends nothing else). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects followed before giving up (default). */
export const MAX_REDIRECTS = 5;

/** The default policy: http: or https:, and no user name or password in the address. */
export function isPlainHttpUrl(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
}

/**
 * Throws HttpError 'scheme' unless `url` may be opened: http or https always; never from https down to
 * http (`from` is the address that redirected here); then the caller's policy.
 */
export function checkTarget(url: URL, from: URL | null, isAllowedUrl: (url: URL) => boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const how = from ? `the server at ${from.host} redirected to` : 'the address is';
    throw new HttpError('scheme', `${how} ${url.href}, which is not an http or https address`);
  }
  if (from?.protocol === 'https:' && url.protocol === 'http:') {
    throw new HttpError('scheme', `the server at ${from.host} redirected from https to unencrypted http (${url.href}); Ferry does not follow that`);
  }
  if (!isAllowedUrl(url)) throw new HttpError('scheme', `Ferry does not open the address ${redact(url)}`);
}

/** What one redirect step needs: where we are, what the server said, and where we have been. */
export interface RedirectStep {
  from: URL;
  location: string | undefined;
  /** Addresses already requested (href), the first one included. */
  visited: ReadonlySet<string>;
  maxRedirects: number;
  isAllowedUrl(url: URL): boolean;
}

/** The next address, or HttpError 'redirects' (loop, too many, no Location) or 'scheme'. */
export function nextRedirect(step: RedirectStep): URL {
  const { from } = step;
  if (!step.location) throw new HttpError('redirects', `the server at ${from.host} redirected without saying where to`);
  let next: URL;
  try {
    next = new URL(step.location, from);
  } catch {
    throw new HttpError('redirects', `the server at ${from.host} redirected to an invalid address ("${step.location}")`);
  }
  if (step.visited.has(next.href)) throw new HttpError('redirects', `the server redirected in a loop (back to ${redact(next)})`);
  if (step.visited.size > step.maxRedirects) throw new HttpError('redirects', `too many redirects (more than ${step.maxRedirects})`);
  checkTarget(next, from, step.isAllowedUrl);
  return next;
}

/** Request headers that must not follow a redirect to another origin (RFC 9110 §15.4: credentials). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** The caller's headers for `to`: credentials are dropped once the origin differs from the first one. */
export function headersFor(headers: Record<string, string>, first: URL, to: URL): Record<string, string> {
  if (first.origin === to.origin) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}

/** The address without user name and password, for messages. */
function redact(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}
