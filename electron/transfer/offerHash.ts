import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * XEP-0096 §3 `hash`: "the MD5 checksum of the file contents", sent in the offer so that the receiver can verify
 * it. It has to be computed before the offer, so Ferry does it only where the user would not notice the delay:
 * files up to OFFER_MD5_MAX_BYTES (md5 runs at several hundred MB/s, so ≈0.1–0.3 s), and never longer than
 * OFFER_MD5_DEADLINE_MS even on a slow disk; past either bound the offer goes without a hash.
 */
export const OFFER_MD5_MAX_BYTES = 64 * 1024 * 1024;
export const OFFER_MD5_DEADLINE_MS = 1000;

/** The md5 hex of the file, or null when it is too large, too slow to read, or unreadable. */
export function md5BeforeOffer(path: string, size: number, deadlineMs = OFFER_MD5_DEADLINE_MS): Promise<string | null> {
  return hashBeforeOffer('md5', { path, size, deadlineMs });
}

/**
 * The same bounds for Jingle's XEP-0300 hash in the offer (XEP-0234 §5: a sender that can hash first puts the
 * hash in the offer; otherwise it sends a checksum after the data): sha-256 hex, or null.
 */
export function sha256BeforeOffer(path: string, size: number, deadlineMs = OFFER_MD5_DEADLINE_MS): Promise<string | null> {
  return hashBeforeOffer('sha256', { path, size, deadlineMs });
}

async function hashBeforeOffer(algorithm: 'md5' | 'sha256', file: { path: string; size: number; deadlineMs: number }): Promise<string | null> {
  const { path, size, deadlineMs } = file;
  if (size > OFFER_MD5_MAX_BYTES) return null;
  const hash = createHash(algorithm);
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => { stream.destroy(); resolve(null); }, deadlineMs);
  });
  const reading = (async () => {
    for await (const chunk of stream) hash.update(chunk as Buffer);
    return hash.digest('hex');
  })().catch(() => null);
  try {
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
