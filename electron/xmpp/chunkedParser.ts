import { Parser } from '@xmpp/xml';

/**
 * The stream parser @xmpp/client uses (ltx) scans text that has no '<' in the current chunk one
 * character at a time with an indexOf per character: quadratic in the chunk for long character data.
 * An IBB block of 64 KiB is ~87 KB of base64 split over several TCP reads, which made the receiver spend
 * ~90% of its time there (bench: IBB at block-size 65535). This parser holds back a trailing run of
 * character data (after the last '>') until more data arrives, so every text run ltx sees ends in a '<'
 * and is skipped with one indexOf. Anything ending inside a tag is fed at once (tags are short), so a
 * complete stanza is never held back. ltx accepts any split of the input, so this changes speed only.
 */
export class ChunkedParser extends Parser {
  private held = '';

  override write(data: string | Uint8Array): void {
    const chunk = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    // Only the new chunk is searched: what is held back has no '<' or '>' by construction.
    const lastGt = chunk.lastIndexOf('>');
    const lastLt = chunk.lastIndexOf('<');
    if (lastGt === -1 && lastLt === -1) {
      this.held += chunk;
      return;
    }
    const cut = lastLt > lastGt ? chunk.length : lastGt + 1;
    const ready = this.held + chunk.slice(0, cut);
    this.held = chunk.slice(cut);
    super.write(ready);
  }
}

interface TransportClass {
  prototype: { Parser: unknown };
}

/** Makes every transport of a client use ChunkedParser (the client copies `Parser` from its transport). */
export function useChunkedParser(client: { transports: TransportClass[] }): void {
  client.transports = client.transports.map((Transport) => {
    const Chunked = class extends (Transport as unknown as new (...args: unknown[]) => object) {};
    (Chunked.prototype as { Parser: unknown }).Parser = ChunkedParser;
    return Chunked as unknown as TransportClass;
  });
}
