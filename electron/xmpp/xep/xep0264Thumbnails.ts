/**
 * XEP-0264: Jingle Content Thumbnails, version 0.4.2 (2024-07-24)
 * https://xmpp.org/extensions/xep-0264.html
 *
 * `<thumbnail xmlns='urn:xmpp:thumbs:1' uri media-type? width? height?/>` (§4), as a child of a XEP-0234
 * `<file/>` or any other description. The bytes behind a `cid:` URI come by XEP-0231 (xep0231Bob.ts).
 */
import xml, { type Element } from '@xmpp/xml';
import { isMediaType, readAttr, readMediaType, readUint } from './attributes';
import { readHttpUrl } from './httpUrls';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { readCidUrl } from './xep0231Bob';

export const NS_THUMBS = 'urn:xmpp:thumbs:1';
/** §3: "Multiple <thumbnail/> elements MAY be included": past this many per parent the rest are ignored. */
export const MAX_THUMBNAILS = 4;
const MAX_DIMENSION = 65535;

/**
 * A thumbnail reference. width and height are display hints only: §5 "A client MUST NOT rely on the
 * values specified for the width and height of a thumbnail to allocate a bitmap data buffer".
 */
export interface Thumbnail {
  /** A `cid:` URI (XEP-0231) or an http(s) URL. */
  uri: string;
  mediaType: string | null;
  width: number | null;
  height: number | null;
}

/**
 * The uri, when Ferry can fetch it. §4: "A URI where the thumbnail data can be accessed (typically by using
 * a URI scheme of 'cid:', 'https:', or 'http:'). If the URI scheme is 'cid:' then the identifier MUST
 * refer to a bit of binary data as described in XEP-0231". Other schemes (data:, file:) are not followed.
 */
function readThumbnailUri(text: string | null): string | null {
  const trimmed = text?.trim() ?? '';
  if (readCidUrl(trimmed) !== null) return trimmed;
  return readHttpUrl(trimmed, 'web');
}

function checkDimension(value: number | null): void {
  if (value !== null && (!Number.isInteger(value) || value < 0 || value > MAX_DIMENSION)) throw new RangeError(`bad thumbnail dimension ${value}`);
}

/** `<thumbnail xmlns='urn:xmpp:thumbs:1' uri media-type width height/>` (§3 example 1). */
export function buildThumbnail(thumbnail: Thumbnail): Element {
  if (readThumbnailUri(thumbnail.uri) !== thumbnail.uri) throw new RangeError(`unusable thumbnail uri ${thumbnail.uri}`);
  if (thumbnail.mediaType !== null && !isMediaType(thumbnail.mediaType)) throw new RangeError(`bad media type ${thumbnail.mediaType}`);
  checkDimension(thumbnail.width);
  checkDimension(thumbnail.height);
  return xml('thumbnail', {
    xmlns: NS_THUMBS, uri: thumbnail.uri, 'media-type': thumbnail.mediaType ?? undefined,
    width: thumbnail.width ?? undefined, height: thumbnail.height ?? undefined,
  });
}

/**
 * Reads a `<thumbnail/>`. uri is REQUIRED (bad-request without it; not-acceptable for one Ferry does not
 * follow). media-type (RECOMMENDED; §4 "MUST match the syntax specified in RFC 2045") and width/height
 * (OPTIONAL; xs:unsignedShort in the schema) read as null when missing or malformed: they are hints.
 */
export function parseThumbnail(thumbnail: Element): ParseResult<Thumbnail> {
  if (!thumbnail.is('thumbnail', NS_THUMBS)) return invalid('not a thumbnail');
  const rawUri = readAttr(thumbnail, 'uri');
  if (rawUri === null || rawUri.trim() === '') return invalid('thumbnail without a uri (REQUIRED)');
  const uri = readThumbnailUri(rawUri);
  if (!uri) return invalid('thumbnail uri is neither cid: nor http(s)', 'not-acceptable');
  return parsed({
    uri,
    mediaType: readMediaType(thumbnail, 'media-type'),
    width: readUint(thumbnail, 'width', MAX_DIMENSION),
    height: readUint(thumbnail, 'height', MAX_DIMENSION),
  });
}

/** The usable thumbnails among the children of parent (e.g. a XEP-0234 `<file/>`), at most MAX_THUMBNAILS. */
export function readThumbnails(parent: Element): Thumbnail[] {
  return parent.getChildren('thumbnail', NS_THUMBS)
    .slice(0, MAX_THUMBNAILS)
    .map(parseThumbnail)
    .flatMap((result) => (result.ok ? [result.value] : []));
}
