/**
 * Kontalk media upload and delivery, seed 002 (/work/shared/seeds/002_1c5e9727ecc0d1b3.txt; namespace
 * `http://www.kontalk.org/extensions/message#upload`, no version, never a XEP).
 *
 * "Sending": the server feature in disco#info, the disco#items of the upload services on the node of
 * that name, and the `<upload node><media type/></upload>` IQ-set whose answer carries the `<uri/>` to
 * upload to. "Delivery": the thumbnail that rides in the same `<message/>` as the `jabber:x:oob` link
 * (xep0066Oob.ts), as an IBB `<data/>` with a `type`. The HTTP upload itself is transport/.
 */
import xml, { type Element } from '@xmpp/xml';
import { isMediaType, readAttr, readMediaType } from './attributes';
import { readHttpUrl } from './httpUrls';
import { decodeInlineBase64, encodeBase64, sniffRasterImageType, type RasterImageType } from './inlineBinary';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { buildItemsQuery, NS_DISCO_ITEMS, parseItems, type DiscoInfo } from './xep0030Disco';
import { buildData, NS_IBB, parseData } from './xep0047Ibb';

export const NS_KONTALK_UPLOAD = 'http://www.kontalk.org/extensions/message#upload';
/** Upload services kept from one disco#items answer (the seed lists two); the rest are ignored. */
export const MAX_KONTALK_SERVICES = 16;
/** Longest service name kept; a longer one is cut (it is only shown). */
const MAX_SERVICE_NAME_LENGTH = 256;
/**
 * Largest thumbnail read or sent. The seed sets none; the whole message must stay under the server's
 * stanza limit (Prosody: 256 KiB), and a preview needs far less.
 */
export const MAX_KONTALK_THUMBNAIL_BYTES = 65536;

/** One upload service: the item's JID and the node to name in the `<upload/>` request. */
export interface KontalkUploadService {
  jid: string;
  node: string;
  name: string | null;
}

/** The seed's upload request: which service (node) and the media type of what is to be uploaded. */
export interface KontalkUploadRequest {
  node: string;
  mediaType: string;
}

/** The answer: the mirrored node (null when the service left it out) and where to upload. */
export interface KontalkUploadAnswer {
  node: string | null;
  uri: string;
}

/** A thumbnail of the delivery message. mediaType is what the bytes are, whatever the label said. */
export interface KontalkThumbnail {
  sid: string;
  mediaType: RasterImageType;
  bytes: Uint8Array;
}

/** "Extension message#upload is present": true when the server's disco#info lists the feature. */
export function hasKontalkUpload(info: Pick<DiscoInfo, 'features'>): boolean {
  return info.features.includes(NS_KONTALK_UPLOAD);
}

/** "request items for available upload services": a disco#items query on the extension's node. */
export function buildKontalkServicesQuery(): Element {
  return buildItemsQuery(NS_KONTALK_UPLOAD);
}

/**
 * Reads the services of the disco#items answer. An item without a node cannot be named in an upload
 * request and is skipped; at most MAX_KONTALK_SERVICES are kept.
 */
export function parseKontalkServices(query: Element): ParseResult<KontalkUploadService[]> {
  if (!query.is('query', NS_DISCO_ITEMS)) return invalid('not a disco#items query');
  const services = parseItems(query)
    .filter((item) => item.node !== undefined && item.node !== '')
    .slice(0, MAX_KONTALK_SERVICES)
    .map((item) => ({ jid: item.jid, node: item.node ?? '', name: item.name?.slice(0, MAX_SERVICE_NAME_LENGTH) ?? null }));
  return parsed(services);
}

/** `<upload xmlns node><media type/></upload>`, for an IQ-set to the service's JID ("Request instructions for upload"). */
export function buildKontalkUploadRequest(request: KontalkUploadRequest): Element {
  if (request.node === '') throw new RangeError('a Kontalk upload request needs a node');
  if (!isMediaType(request.mediaType)) throw new RangeError(`bad media type ${request.mediaType}`);
  return xml('upload', { xmlns: NS_KONTALK_UPLOAD, node: request.node }, xml('media', { type: request.mediaType }));
}

/** Reads an upload request, as the service does (test fakes): node and media type are both needed. */
export function parseKontalkUploadRequest(upload: Element): ParseResult<KontalkUploadRequest> {
  if (!upload.is('upload', NS_KONTALK_UPLOAD)) return invalid('not a Kontalk upload');
  const node = readAttr(upload, 'node');
  const media = upload.getChild('media', NS_KONTALK_UPLOAD);
  const mediaType = media ? readMediaType(media, 'type') : null;
  if (!node || !mediaType) return invalid('upload request needs a node and a <media type/>');
  return parsed({ node, mediaType });
}

/** `<upload xmlns node><uri>…</uri></upload>`, the service's answer (test fakes). */
export function buildKontalkUploadAnswer(answer: KontalkUploadAnswer): Element {
  if (readHttpUrl(answer.uri, 'web') !== answer.uri) throw new RangeError(`unusable upload uri ${answer.uri}`);
  return xml('upload', { xmlns: NS_KONTALK_UPLOAD, node: answer.node ?? undefined }, xml('uri', {}, answer.uri));
}

/** Reads the answer; the `<uri/>` must be http(s) (the seed's is plain http). */
export function parseKontalkUploadAnswer(upload: Element): ParseResult<KontalkUploadAnswer> {
  if (!upload.is('upload', NS_KONTALK_UPLOAD)) return invalid('not a Kontalk upload');
  const uri = readHttpUrl(upload.getChildText('uri', NS_KONTALK_UPLOAD), 'web');
  if (!uri) return invalid('upload answer without an http(s) <uri/>');
  return parsed({ node: readAttr(upload, 'node'), uri });
}

/**
 * `<data xmlns='http://jabber.org/protocol/ibb' seq='0' type sid>base64</data>`, to sit next to the
 * `jabber:x:oob` link in the same message. type is the one the bytes' signature shows; anything that is
 * not a PNG, JPEG, GIF or WebP of at most MAX_KONTALK_THUMBNAIL_BYTES is refused.
 */
export function buildKontalkThumbnail(thumbnail: { sid: string; bytes: Uint8Array }): Element {
  const mediaType = sniffRasterImageType(thumbnail.bytes);
  if (!mediaType || thumbnail.bytes.length > MAX_KONTALK_THUMBNAIL_BYTES) throw new RangeError('a thumbnail must be a small raster image');
  const data = buildData({ sid: thumbnail.sid, seq: 0, base64: encodeBase64(thumbnail.bytes) });
  data.attrs.type = mediaType;
  return data;
}

/**
 * Reads a thumbnail `<data/>`. The seed: "Thumbnail (if applicable) is attached to the message using
 * in-band bytestream with optional type attribute indicating a MIME type for the resource". It is one
 * block, so seq must be 0; a type, when given, must be image/*; the base64 must be strict (line breaks
 * aside, see inlineBinary.ts); and the bytes must be a raster image (SVG never is), whose signature
 * gives the mediaType returned. Malformed: bad-request; too big or not an image: not-acceptable.
 */
export function parseKontalkThumbnail(data: Element): ParseResult<KontalkThumbnail> {
  const block = parseData(data);
  if (!block.ok) return block;
  if (block.value.seq !== 0) return invalid('a thumbnail is a single block with seq 0');
  const declared = readAttr(data, 'type');
  if (declared !== null && !/^image\//i.test(declared.trim())) return invalid(`thumbnail type ${declared.slice(0, 64)} is not an image`, 'not-acceptable');
  const decoded = decodeInlineBase64(block.value.base64, MAX_KONTALK_THUMBNAIL_BYTES);
  if (!decoded.ok) {
    return decoded.reason === 'too-large' ? invalid(`thumbnail larger than ${MAX_KONTALK_THUMBNAIL_BYTES} bytes`, 'not-acceptable') : invalid('thumbnail is not RFC 4648 §4 base64');
  }
  const mediaType = sniffRasterImageType(decoded.bytes);
  if (!mediaType) return invalid('thumbnail bytes are not a PNG, JPEG, GIF or WebP image', 'not-acceptable');
  return parsed({ sid: block.value.sid, mediaType, bytes: decoded.bytes });
}

/** The thumbnail of a delivery message (an IBB `<data/>` as a direct child), or null when it has none that is usable. */
export function readKontalkThumbnail(message: Element): KontalkThumbnail | null {
  const data = message.getChild('data', NS_IBB);
  const thumbnail = data ? parseKontalkThumbnail(data) : null;
  return thumbnail?.ok ? thumbnail.value : null;
}
