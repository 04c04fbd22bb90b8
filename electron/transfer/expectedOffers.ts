import { toBareJid } from '../../shared/model/jid';
import { compareHashes } from './hashAgreement';

/** How long an offer asked for by Resume is awaited (then offers of that file ask as any other). */
export const EXPECTED_OFFER_TTL_MS = 2 * 60_000;

/** The file Resume asked a sender for: its kept part's identity, and the folder the `.part` is in. */
export interface ExpectedFile {
  /** The sender's bare JID. */
  from: string;
  name: string;
  size: number;
  sha256: string | null;
  md5: string | null;
  /** Where the kept `.part` is: the accepted offer goes there, so the resume finds it. */
  dir: string;
}

/** What an incoming offer says about its file, to be matched. */
export interface OfferedFile {
  /** The sender's full JID. */
  from: string;
  name: string;
  size: number;
  sha256: string | null;
  md5: string | null;
}

interface Waiting {
  file: ExpectedFile;
  until: number;
  claimed(id: string): void;
}

/**
 * Offers the user asked for (Resume of an interrupted incoming file, XEP-0234 §6.2): the next offer from the
 * same bare JID of the same file (name and size, and every hash both know equal) is accepted without a prompt,
 * into the kept part's folder, once. Anything else — another sender, another file, after EXPECTED_OFFER_TTL_MS —
 * goes through the accept policy as before.
 */
export class ExpectedOffers {
  private readonly waiting = new Set<Waiting>();

  /** Awaits an offer of `file`; `claimed` resolves with the id of the transfer that took it. `dispose` stops waiting. */
  expect(file: ExpectedFile, ttlMs = EXPECTED_OFFER_TTL_MS): { claimed: Promise<string>; dispose(): void } {
    let entry!: Waiting;
    const claimed = new Promise<string>((resolve) => {
      entry = { file, until: Date.now() + ttlMs, claimed: resolve };
    });
    this.waiting.add(entry);
    return { claimed, dispose: () => { this.waiting.delete(entry); } };
  }

  /** The folder to accept this offer into when it was asked for (and it stops being awaited), else null. */
  claim(offer: OfferedFile, id: string): { dir: string } | null {
    const now = Date.now();
    for (const entry of this.waiting) {
      if (entry.until < now) { this.waiting.delete(entry); continue; }
      if (!isSame(entry.file, offer)) continue;
      this.waiting.delete(entry);
      entry.claimed(id);
      return { dir: entry.file.dir };
    }
    return null;
  }
}

function isSame(expected: ExpectedFile, offer: OfferedFile): boolean {
  if (expected.from !== toBareJid(offer.from) || expected.name !== offer.name || expected.size !== offer.size) return false;
  return compareHashes(expected, offer).agree;
}
