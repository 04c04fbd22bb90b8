/**
 * Reading URLs that peers and services hand out (XEP-0363 slots, XEP-0066 links, the Kontalk upload URI,
 * the OneTeam proxy URL, XEP-0264 thumbnails), shared by the pure parsers of this folder. The URL is
 * parsed with the WHATWG parser (what the HTTP client will do with it) but returned as sent, so that a
 * link compares equal to the message body that carried it.
 */

/**
 * Which URLs a field may carry:
 * - `'tls'`: https, or http to a loopback host. XEP-0363 §4 "The host MUST provide Transport Layer
 *   Security" is about the network; plain http to 127.0.0.0/8, ::1 or localhost never leaves the machine
 *   (the test Prosody serves its uploads that way). Any other http URL is refused.
 * - `'web'`: http or https anywhere (links in messages, the Kontalk and OneTeam services, which the
 *   seeds show on plain http). Whether to fetch a plain-http link is the download policy's call.
 */
export type UrlPolicy = 'tls' | 'web';

/**
 * Longest URL accepted. XEP-0363 GET URLs end in the percent-encoded file name: a 1024-character name
 * (xep0096 MAX_FILE_NAME_LENGTH) of three-byte UTF-8 characters is 9216 characters on its own.
 */
export const MAX_URL_LENGTH = 10240;

// No whitespace, control (C0, DEL, C1) or format characters (bidi overrides, zero-width, BOM) anywhere:
// RFC 3986 §2 allows none of them, and a bidi override can make a link read as something it is not.
const FORBIDDEN_CHARACTER_RE = /[\s\p{Cc}\p{Cf}]/u;
// The authority as written: after "//", up to the path, query or fragment. The WHATWG parser forgives
// much that the text does not say (`https:///x` becomes host "x", `\` counts as `/`, `https://@h` has an
// empty user): the text itself must name the host, with no userinfo and no backslash.
const AUTHORITY_RE = /^https?:\/\/([^/?#]+)/i;

/** True for the loopback hosts of a parsed URL: localhost, 127.0.0.0/8, ::1 and IPv4-mapped 127/8. */
function isLoopbackHostname(hostname: string): boolean {
  // The WHATWG parser has already normalised IPv4 (0x7f.1 → 127.0.0.1) and IPv6 (compressed, lower case).
  if (hostname === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)) return true;
  return hostname === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * The URL text, trimmed, when it is an absolute http(s) URL the policy allows: `//` and a host written
 * out (`http:example.com` parses, but nobody means it), no user name or password
 * (`https://bank.example@evil.example/` is a phishing classic), none of the forbidden characters, at most
 * MAX_URL_LENGTH long. Null for anything else.
 */
export function readHttpUrl(text: string | null | undefined, policy: UrlPolicy): string | null {
  const trimmed = text?.trim() ?? '';
  if (trimmed.length > MAX_URL_LENGTH || FORBIDDEN_CHARACTER_RE.test(trimmed)) return null;
  const authority = AUTHORITY_RE.exec(trimmed)?.[1];
  if (!authority || /[@\\]/.test(authority)) return null;
  const url = parseUrl(trimmed);
  if (!url || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:') return trimmed;
  if (url.protocol !== 'http:') return null;
  return policy === 'web' || isLoopbackHostname(url.hostname) ? trimmed : null;
}

/** The host[:port] of a URL, for messages ("the upload to 127.0.0.1:5280 failed"); the text itself when it is no URL. */
export function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}
