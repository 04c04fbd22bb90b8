/**
 * XEP-0231: Bits of Binary, version 1.1 (2022-07-25)
 * https://xmpp.org/extensions/xep-0231.html
 *
 * `<data xmlns='urn:xmpp:bob' cid max-age type>base64</data>` (§2.5), the empty `<data cid/>` that asks
 * for it (§2.3), and `cid:` URLs (RFC 2392) such as XEP-0264 thumbnails carry. Where the cid names a hash
 * Ferry can compute, the data is checked against it.
 */
import { createHash } from 'node:crypto';
import xml, { type Element } from '@xmpp/xml';
import { isMediaType, readAttr, readMediaType, readUint } from './attributes';
import { decodeInlineBase64, encodeBase64 } from './inlineBinary';
import { invalid, parsed, type ParseResult } from './stanzaErrors';

export const NS_BOB = 'urn:xmpp:bob';
/**
 * §2.1: "In general, the data SHOULD NOT be more than 8 kilobytes": the most Ferry sends. ("kilobytes"
 * read as KiB; either way a thumbnail of this size is small.)
 */
export const MAX_BOB_SEND_BYTES = 8192;
/** §2.1: "implementations or deployments MAY impose their own limits": the most Ferry reads. */
export const MAX_BOB_READ_BYTES = 65536;
/** Longest cid accepted (a sha-512 cid is 151 characters). */
const MAX_CID_LENGTH = 256;

/** A bit of binary data. */
export interface BobData {
  cid: string;
  /** §2.5: "MUST match the syntax specified in RFC 2045". */
  mediaType: string;
  /** Seconds to cache (RFC 2965 Max-Age); 0: do not cache; null: not given. */
  maxAge: number | null;
  bytes: Uint8Array;
}

/** Data as read: isVerified when the cid names a hash Ferry computed and it matched. */
export interface ReceivedBobData extends BobData {
  isVerified: boolean;
}

/**
 * Node's names for the cid algorithms Ferry checks. §2.6: "one of the values from the IANA Hash
 * Function Textual Names Registry ... unless the hash is SHA-1 in which case the label "sha1" MUST be
 * used for historical reasons" ("sha-1" is read too).
 */
const NODE_HASHES: Readonly<Record<string, string>> = {
  sha1: 'sha1', 'sha-1': 'sha1', 'sha-224': 'sha224', 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512',
};
// RFC 2392 content-id (an addr-spec): printable ASCII without space, angle brackets or quotes.
const CID_RE = /^[!#-;=?-~]+@[!#-;=?-~]+$/;
// §2.5: "SHOULD be of the form algo+hash@bob.xmpp.org ... the "hash" is the hex output of the algorithm".
const HASH_CID_RE = /^([a-z0-9-]{1,16})\+([0-9a-f]+)@bob\.xmpp\.org$/i;

/** True when text is a usable cid: an RFC 2392 content-id of at most MAX_CID_LENGTH characters. */
function isCid(text: string): boolean {
  return text.length <= MAX_CID_LENGTH && CID_RE.test(text);
}

/** The cid Ferry gives its own data: `sha1+<hex>@bob.xmpp.org`, as every §2 example has it. */
export function bobCid(bytes: Uint8Array): string {
  return `sha1+${createHash('sha1').update(bytes).digest('hex')}@bob.xmpp.org`;
}

/** The cid of a `cid:` URL (RFC 2392 §2: "cid:" then the url-encoded content-id), or null. */
export function readCidUrl(uri: string): string | null {
  if (!/^cid:/i.test(uri)) return null;
  let cid: string;
  try {
    cid = decodeURIComponent(uri.slice(4));
  } catch {
    return null;
  }
  return isCid(cid) ? cid : null;
}

/**
 * Whether the data matches the hash its cid names: true, false, or null when the cid names none Ferry
 * computes. §2.5 hashes "the binary data itself", yet the cid of the §2.3 and §2.5 examples is the SHA-1
 * of their base64 text (8f35fe…; the PNG's bytes hash to 4b97ce…): a peer that copied the examples is
 * matched too when the base64 text is given.
 */
function matchesCid(cid: string, bytes: Uint8Array, base64?: string): boolean | null {
  const match = HASH_CID_RE.exec(cid);
  const algorithm = match ? NODE_HASHES[match[1].toLowerCase()] : undefined;
  if (!match || !algorithm) return null;
  const expected = match[2].toLowerCase();
  if (createHash(algorithm).update(bytes).digest('hex') === expected) return true;
  return base64 !== undefined && createHash(algorithm).update(base64).digest('hex') === expected;
}

/**
 * `<data xmlns='urn:xmpp:bob' cid max-age? type>base64</data>`. §2.5: the data "MUST be encoded as
 * Base64 in accordance with Section 4 of RFC 4648 (note: the Base64 output MUST NOT include whitespace
 * and MUST set the number of pad bits to zero)". Refuses more than MAX_BOB_SEND_BYTES (§2.1 SHOULD NOT)
 * and a cid that names a hash the bytes do not have.
 */
export function buildBobData(data: BobData): Element {
  if (!isCid(data.cid) || matchesCid(data.cid, data.bytes) === false) throw new RangeError(`cid ${data.cid} does not name these bytes`);
  if (!isMediaType(data.mediaType)) throw new RangeError(`bad media type ${data.mediaType}`);
  if (data.bytes.length === 0 || data.bytes.length > MAX_BOB_SEND_BYTES) throw new RangeError(`BoB data must be 1..${MAX_BOB_SEND_BYTES} bytes`);
  if (data.maxAge !== null && (!Number.isSafeInteger(data.maxAge) || data.maxAge < 0)) throw new RangeError(`bad max-age ${data.maxAge}`);
  return xml('data', { xmlns: NS_BOB, cid: data.cid, 'max-age': data.maxAge ?? undefined, type: data.mediaType }, encodeBase64(data.bytes));
}

function readCid(data: Element): string | null {
  const cid = readAttr(data, 'cid');
  return cid !== null && isCid(cid) ? cid : null;
}

/**
 * Reads a `<data/>` that carries data. §2.5: cid is REQUIRED, type "REQUIRED if the <data/> element is
 * non-empty"; a malformed max-age (xs:nonNegativeInteger) reads as none given. Line breaks in the base64
 * are tolerated (see inlineBinary.ts); more than MAX_BOB_READ_BYTES is not-acceptable; data that does not
 * hash to the cid it claims is bad-request.
 */
export function parseBobData(data: Element): ParseResult<ReceivedBobData> {
  if (!data.is('data', NS_BOB)) return invalid('not BoB data');
  const cid = readCid(data);
  if (!cid) return invalid('BoB data without a usable cid');
  const text = data.getText();
  if (text.trim() === '') return invalid('BoB data element is empty (a request, not data)');
  const mediaType = readMediaType(data, 'type');
  if (!mediaType) return invalid('BoB data without a media type (REQUIRED if non-empty)');
  const decoded = decodeInlineBase64(text, MAX_BOB_READ_BYTES);
  if (!decoded.ok) {
    return decoded.reason === 'too-large' ? invalid(`BoB data larger than ${MAX_BOB_READ_BYTES} bytes`, 'not-acceptable') : invalid('BoB data is not RFC 4648 §4 base64');
  }
  const matches = matchesCid(cid, decoded.bytes, encodeBase64(decoded.bytes));
  if (matches === false) return invalid('BoB data does not match the hash in its cid');
  return parsed({ cid, mediaType, maxAge: readUint(data, 'max-age'), bytes: decoded.bytes, isVerified: matches === true });
}

/** §2.3: "an IQ-get containing an empty <data/> element with a 'cid' attribute". */
export function buildBobRequest(cid: string): Element {
  if (!isCid(cid)) throw new RangeError(`bad cid ${cid}`);
  return xml('data', { xmlns: NS_BOB, cid });
}

/** Reads a §2.3 request (what the data's owner answers, with the data or item-not-found). */
export function parseBobRequest(data: Element): ParseResult<{ cid: string }> {
  if (!data.is('data', NS_BOB)) return invalid('not BoB data');
  const cid = readCid(data);
  if (!cid) return invalid('BoB request without a usable cid');
  return data.getText().trim() === '' ? parsed({ cid }) : invalid('a BoB request carries no data');
}
