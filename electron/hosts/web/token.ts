import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a web host token (256 bits; the brief asks for at least 128). */
const TOKEN_BYTES = 32;

/** A fresh random access token, URL-safe. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first so that
 * neither the content nor the length of the expected token leaks through timing.
 */
export function isTokenValid(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 1024) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
