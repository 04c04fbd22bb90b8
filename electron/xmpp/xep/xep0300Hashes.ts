/**
 * XEP-0300: Use of Cryptographic Hash Functions in XMPP, version 1.0.0 (2019-11-13)
 * https://xmpp.org/extensions/xep-0300.html
 * with the algorithm recommendations of XEP-0414 0.4.0 (https://xmpp.org/extensions/xep-0414.html).
 *
 * `<hash algo>base64</hash>` and `<hash-used algo/>` in `urn:xmpp:hashes:2`; `urn:xmpp:hashes:1` (what
 * XEP-0234 :3 and :4 carry) is read too. Values are kept as canonical base64 of the digest.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';

export const NS_HASHES = 'urn:xmpp:hashes:2';
/**
 * The namespace before 0.5 (2017-01-24), which "Explicitly specify encoding format": version 1 named no
 * encoding, and the XEP-0234 :3/:4 examples carry hex where XEP-0300's own examples carry base64.
 */
export const NS_HASHES_1 = 'urn:xmpp:hashes:1';

/** A hash value: the algorithm's textual name (lower case) and the digest as canonical base64. */
export interface Hash {
  algo: string;
  base64: string;
}

/**
 * Digest sizes of the names XEP-0300 §3 allows: "one of the values from the IANA Hash Function Textual
 * Names Registry ... or one of the values defined in the following table" (sha3-*, blake2b-*).
 */
const DIGEST_BYTES: Readonly<Record<string, number>> = {
  md2: 16, md5: 16, 'sha-1': 20, 'sha-224': 28, 'sha-256': 32, 'sha-384': 48, 'sha-512': 64,
  'sha3-224': 28, 'sha3-256': 32, 'sha3-384': 48, 'sha3-512': 64,
  'blake2b-160': 20, 'blake2b-256': 32, 'blake2b-384': 48, 'blake2b-512': 64,
};
/** XEP-0414 §5: MD2, MD4 and MD5 "MUST NOT", SHA-1 "SHOULD NOT" be used. */
const WEAK_ALGORITHMS: ReadonlySet<string> = new Set(['md2', 'md4', 'md5', 'sha-1']);
/**
 * What Ferry can check a received file against, strongest first. fileStore streams sha-256 (and md5 for
 * SI, which XEP-0414 rules out here), so only sha-256 counts for Jingle.
 */
export const VERIFIABLE_HASH_ALGORITHMS: readonly string[] = ['sha-256'];
/** Longest digest accepted for an algorithm of unknown size (512 bits, the largest named above). */
const MAX_UNKNOWN_DIGEST_BYTES = 64;
// The schema types 'algo' as xs:NCName; IANA names are short ASCII.
const ALGO_RE = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Decodes base64 only when it is canonical. §3: "The Base64 output MUST NOT include whitespace and MUST
 * set padding bits to zero", in the alphabet of RFC 4648 §4. Node's decoder skips what it does not know;
 * encoding again gives back the input only for exactly such texts.
 */
function decodeStrictBase64(text: string): Buffer | null {
  if (text === '') return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function readAlgo(element: Element): string | null {
  const algo = readAttr(element, 'algo');
  return algo !== null && ALGO_RE.test(algo) ? algo.toLowerCase() : null;
}

/** True for md2, md4, md5 and sha-1 (XEP-0414 §5): read, but never trusted for verification. */
export function isWeakHashAlgorithm(algo: string): boolean {
  return WEAK_ALGORITHMS.has(algo.toLowerCase());
}

/** True when Ferry computes this algorithm while receiving (see VERIFIABLE_HASH_ALGORITHMS). */
export function isVerifiableAlgorithm(algo: string): boolean {
  return VERIFIABLE_HASH_ALGORITHMS.includes(algo.toLowerCase());
}

/**
 * The hash to verify a file with: the strongest algorithm Ferry computes, or null when none is offered.
 * XEP-0414 §3: the receiver "SHOULD either (a) use all hash values or (b) the hash value of the
 * algroithm with the most security confidence"; XEP-0234 §12: "use the strongest hashing algorithm
 * available to both parties".
 */
export function strongestVerifiableHash(hashes: readonly Hash[]): Hash | null {
  for (const algo of VERIFIABLE_HASH_ALGORITHMS) {
    const match = hashes.find((hash) => hash.algo === algo);
    if (match) return match;
  }
  return null;
}

/** Reads the digest text: strict base64, or under hashes:1 also hex of exactly the digest size. */
function readDigest(text: string, algo: string, isVersion1: boolean): Buffer | null {
  const size = DIGEST_BYTES[algo];
  if (isVersion1 && size !== undefined && text.length === size * 2 && HEX_RE.test(text)) return Buffer.from(text, 'hex');
  const bytes = decodeStrictBase64(text);
  if (!bytes) return null;
  return (size === undefined ? bytes.length <= MAX_UNKNOWN_DIGEST_BYTES : bytes.length === size) ? bytes : null;
}

/**
 * Reads `<hash algo>…</hash>`. §3: 'algo' is required and the character data "MUST conform to the
 * base64Binary datatype"; a digest of the wrong size for a known algorithm is refused too. An empty
 * `<hash/>` (XEP-0234's "not yet computed") is not a value: readHashes counts it as hash-used.
 */
export function parseHash(element: Element): ParseResult<Hash> {
  const ns = element.getNS();
  if (element.getName() !== 'hash' || (ns !== NS_HASHES && ns !== NS_HASHES_1)) return invalid('not a hash');
  const algo = readAlgo(element);
  if (!algo) return invalid('hash without a valid algo');
  const digest = readDigest(element.getText(), algo, ns === NS_HASHES_1);
  if (!digest) return invalid(`${algo} hash is not a canonical base64 digest of the right size`);
  return parsed({ algo, base64: digest.toString('base64') });
}

/** Reads `<hash-used algo/>` (§3: "communicate the hash algorithm that is used prior to the calculation"). */
export function parseHashUsed(element: Element): ParseResult<{ algo: string }> {
  const ns = element.getNS();
  if (element.getName() !== 'hash-used' || (ns !== NS_HASHES && ns !== NS_HASHES_1)) return invalid('not a hash-used');
  const algo = readAlgo(element);
  return algo ? parsed({ algo }) : invalid('hash-used without a valid algo');
}

/** `<hash xmlns='urn:xmpp:hashes:2' algo>base64</hash>`; refuses a value that is not canonical base64. */
export function buildHash(hash: Hash): Element {
  if (!ALGO_RE.test(hash.algo) || !decodeStrictBase64(hash.base64)) throw new RangeError(`bad ${hash.algo} hash`);
  return xml('hash', { xmlns: NS_HASHES, algo: hash.algo }, hash.base64);
}

/** `<hash-used xmlns='urn:xmpp:hashes:2' algo/>`. */
export function buildHashUsed(algo: string): Element {
  if (!ALGO_RE.test(algo)) throw new RangeError(`bad hash algorithm ${algo}`);
  return xml('hash-used', { xmlns: NS_HASHES, algo });
}

/** Hash children read from one parent element. */
export interface HashChildren {
  hashes: Hash[];
  /** Algorithms announced without a value: `<hash-used/>`, or an empty `<hash/>`. */
  hashesUsed: string[];
}

/** Hash children read from one parent; past this many the rest are ignored (one per algorithm is plenty). */
export const MAX_HASHES = 8;

/**
 * Reads the `<hash/>` and `<hash-used/>` children of a parent (XEP-0234 `<file/>` or `<range/>`).
 * Malformed ones are skipped rather than failing the parent: the transfer works without them. §3: more
 * than one hash is allowed "as long as each one has a different value for the 'algo' attribute": a
 * repeated algorithm keeps its first value.
 */
export function readHashes(parent: Element): HashChildren {
  const result: HashChildren = { hashes: [], hashesUsed: [] };
  const children = parent.getChildElements().filter((child) => {
    const ns = child.getNS();
    return ns === NS_HASHES || ns === NS_HASHES_1;
  });
  for (const child of children.slice(0, MAX_HASHES)) {
    const isEmptyHash = child.getName() === 'hash' && child.getText().trim() === '';
    const used = isEmptyHash || child.getName() === 'hash-used' ? readAlgo(child) : null;
    if (used !== null && !result.hashesUsed.includes(used)) result.hashesUsed.push(used);
    if (child.getName() !== 'hash' || isEmptyHash) continue;
    const hash = parseHash(child);
    if (hash.ok && !result.hashes.some((known) => known.algo === hash.value.algo)) result.hashes.push(hash.value);
  }
  return result;
}

/** Hex (either case) to base64, for comparing Jingle hashes with Ferry's hex sha-256. */
export function hexToBase64(hex: string): string {
  if (!HEX_RE.test(hex)) throw new RangeError('not an even-length hex string');
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Canonical base64 to lower-case hex. */
export function base64ToHex(base64: string): string {
  const bytes = decodeStrictBase64(base64);
  if (!bytes) throw new RangeError('not canonical base64');
  return bytes.toString('hex');
}
