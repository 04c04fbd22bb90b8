/** Whole-file hashes of one file as an offer, a request or a kept part knows them (hex, any case; null: unknown). */
export interface KnownHashes {
  sha256: string | null;
  md5: string | null;
}

/**
 * How two descriptions of a file agree on its hashes: how many algorithms both know, and whether every one of
 * those is equal (case-insensitive hex). The one rule behind a kept part's identity (resumablePart.ts), an
 * awaited offer (expectedOffers.ts) and a peer's file request (app/resumeRequest.ts).
 */
export function compareHashes(a: KnownHashes, b: KnownHashes): { compared: number; agree: boolean } {
  const both = (['sha256', 'md5'] as const).filter((algo) => a[algo] !== null && b[algo] !== null);
  return { compared: both.length, agree: both.every((algo) => a[algo]!.toLowerCase() === b[algo]!.toLowerCase()) };
}
