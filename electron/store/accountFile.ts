import { createHash } from 'node:crypto';

/** Longest readable part of a database file name; longer JIDs are cut and keep a hash. */
const MAX_READABLE_CHARS = 100;

/**
 * The database file name of an account: the bare JID with every character outside `[a-z0-9.@_-]`
 * written as `%XX` (UTF-8 bytes), so no JID can name a path (`/`, `\`, `..` as a whole name, NUL,
 * Windows-reserved characters) or differ only by case on case-insensitive file systems. A JID longer
 * than MAX_READABLE_CHARS keeps its start and gets 16 hex characters of its sha-256, so names stay
 * short and distinct.
 */
export function historyFileName(bareJid: string): string {
  const lower = bareJid.toLowerCase();
  const encoded = [...Buffer.from(lower, 'utf8')]
    .map((byte) => (/[a-z0-9.@_-]/.test(String.fromCharCode(byte)) && byte < 0x80 ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`))
    .join('');
  const safe = encoded.startsWith('.') ? `%2e${encoded.slice(1)}` : encoded;
  if (safe.length <= MAX_READABLE_CHARS) return `${safe}.sqlite`;
  const hash = createHash('sha256').update(lower).digest('hex').slice(0, 16);
  return `${safe.slice(0, MAX_READABLE_CHARS)}-${hash}.sqlite`;
}
