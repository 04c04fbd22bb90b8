import type { Element } from '@xmpp/xml';
import type { ThumbnailInfo } from '../../../shared/model/transfer';
import type { BobService } from '../../xmpp/bob';
import { bobCid, MAX_BOB_READ_BYTES, MAX_BOB_SEND_BYTES, readCidUrl } from '../../xmpp/xep/xep0231Bob';
import { buildThumbnail, readThumbnails } from '../../xmpp/xep/xep0264Thumbnails';
import { makeThumbnail } from './makeThumbnail';
import { checkReceivedThumbnail } from './receivedThumbnail';

/** How long a peer may take to answer a BoB request for an offer's thumbnail. */
const BOB_FETCH_TIMEOUT_MS = 5_000;
/** How long the thumbnail of an offer stays available to its peer (it may accept hours later). */
const BOB_MAX_AGE_SECONDS = 86_400;

/** XEP-0264 thumbnails in peer-to-peer offers (SI's and Jingle's `<file/>`), their bytes carried by XEP-0231. */
export interface OfferThumbnails {
  /**
   * For an image: the `<thumbnail uri='cid:…'/>` to put in an offer's `<file/>` to `to`, its bytes offered to
   * `to` by BoB; null for anything else or when no thumbnail could be made.
   */
  forOffer(path: string, mediaType: string, to: string): Promise<Element | null>;
  /** Whether an offer's `<file/>` names a thumbnail Ferry would fetch (a `cid:` one). */
  hasThumbnail(file: Element): boolean;
  /** The preview of a received offer's `<file/>`: its first `cid:` thumbnail fetched from `from`, checked and re-encoded. */
  fromOffer(file: Element, from: string): Promise<ThumbnailInfo | null>;
}

/** The cid of the first `cid:` thumbnail of a `<file/>` (http(s) ones are not fetched: that would tell a stranger's server our address before any accept). */
function firstCid(file: Element): string | null {
  return readThumbnails(file).map((t) => readCidUrl(t.uri)).find((c): c is string => c !== null) ?? null;
}

export function createOfferThumbnails(bob: Pick<BobService, 'offer' | 'fetch'>): OfferThumbnails {
  return {
    hasThumbnail: (file) => firstCid(file) !== null,
    async forOffer(path, mediaType, to) {
      if (!mediaType.startsWith('image/')) return null;
      const made = await makeThumbnail(path, { maxBytes: MAX_BOB_SEND_BYTES }).catch(() => null);
      if (!made) return null;
      const cid = bobCid(made.bytes);
      try {
        bob.offer(cid, { mediaType: made.mediaType, bytes: made.bytes }, { to, maxAgeSeconds: BOB_MAX_AGE_SECONDS });
      } catch {
        return null; // the BoB store is full or refuses it: the offer goes without a thumbnail
      }
      return buildThumbnail({ uri: `cid:${cid}`, mediaType: made.mediaType, width: made.width, height: made.height });
    },
    async fromOffer(file, from) {
      const cid = firstCid(file);
      if (!cid) return null;
      const fetched = await bob.fetch(from, cid, { maxBytes: MAX_BOB_READ_BYTES, timeoutMs: BOB_FETCH_TIMEOUT_MS });
      if (!fetched) return null;
      const shown = await checkReceivedThumbnail(fetched.bytes, { maxBytes: MAX_BOB_READ_BYTES }).catch(() => null);
      return shown ? { mediaType: fetched.mediaType, bytes: fetched.bytes.length, png: Buffer.from(shown.bytes).toString('base64') } : null;
    },
  };
}
