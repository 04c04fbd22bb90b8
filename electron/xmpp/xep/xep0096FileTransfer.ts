/**
 * XEP-0096: SI File Transfer, version 1.3.1 (2022-03-22)
 * https://xmpp.org/extensions/xep-0096.html
 *
 * The file-transfer profile of XEP-0095: the `<file/>` metadata of an offer (name, size, date, md5
 * hash, desc, range support; media type travels as the SI mime-type), and the optional `<range/>` of
 * the accept.
 */
import xml, { type Element } from '@xmpp/xml';
import type { FileMeta } from '../../../shared/model/transfer';
import { readAttr, readUint } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { NS_IBB } from './xep0047Ibb';
import { NS_BYTESTREAMS } from './xep0065Bytestreams';
import { badProfileError, buildSiAccept, buildSiOffer, parseSiAccept, parseSiOffer } from './xep0095Si';

export const NS_FILE_TRANSFER = 'http://jabber.org/protocol/si/profile/file-transfer';
/**
 * §3.1: "implementations of this profile MUST support both XEP-0065 and XEP-0047, to be preferred in
 * that order."
 */
export const FILE_TRANSFER_STREAM_METHODS: readonly string[] = [NS_BYTESTREAMS, NS_IBB];

const MD5_HEX_RE = /^[0-9a-fA-F]{32}$/;
/**
 * Bounds on peer-supplied text, applied at parse so no oversized string is copied into records, events and
 * notifications. A name longer than any file system allows cannot be saved: the offer is refused (not-acceptable);
 * a long description is cut (it is informative only); an implausible media type becomes the default.
 */
export const MAX_FILE_NAME_LENGTH = 1024;
export const MAX_DESCRIPTION_LENGTH = 2048;
export const MAX_MEDIA_TYPE_LENGTH = 255;
const DEFAULT_MEDIA_TYPE = 'application/octet-stream';
/** XEP-0082 DateTime (CCYY-MM-DDThh:mm:ss[.sss]TZD); seconds optional as in the XEP-0096 sipub example. */
export const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A file offer: the SI id (which becomes the bytestream sid), the file, and the stream methods. */
export interface FileTransferOffer {
  sid: string;
  file: FileMeta;
  methods: readonly string[];
  /** §3: an empty <range/> in the offer "signifies that the sender can do ranged transfers". */
  isRangeSupported: boolean;
}

/** §3: offset "defaults to zero"; length "defaults to the length of the file from offset to the end". */
export interface ByteRange {
  offset: number;
  /** null: to the end of the file. */
  length: number | null;
}

/**
 * Builds the whole `<si/>` of an offer. §3: "The size and name attributes MUST be present in the
 * profile. The other attributes MAY be present."
 */
export function buildFileTransferOffer(offer: FileTransferOffer): Element {
  const { file } = offer;
  if (!file.name || !Number.isSafeInteger(file.size) || file.size < 0) throw new RangeError('a file offer needs a name and a size');
  const profileElement = xml(
    'file',
    { xmlns: NS_FILE_TRANSFER, name: file.name, size: file.size, date: file.date, hash: file.md5 },
    ...(file.description ? [xml('desc', {}, file.description)] : []),
    ...(offer.isRangeSupported ? [xml('range')] : []),
  );
  return buildSiOffer({
    id: offer.sid, mimeType: file.mediaType, profile: NS_FILE_TRANSFER, profileElement, methods: [...offer.methods],
  });
}

/** Reads the `<file/>` metadata; a missing name or size makes the profile invalid (§4.2 bad-profile). */
function readFile(file: Element, mediaType: string): ParseResult<FileMeta> {
  const name = readAttr(file, 'name');
  const size = readUint(file, 'size');
  if (!name || size === null) return { ok: false, error: { ...badProfileError(), text: 'file needs name and size' } };
  if (name.length > MAX_FILE_NAME_LENGTH) return invalid(`file name longer than ${MAX_FILE_NAME_LENGTH} characters`, 'not-acceptable');
  const description = file.getChildText('desc', NS_FILE_TRANSFER)?.trim() ?? '';
  const date = readAttr(file, 'date');
  const hash = readAttr(file, 'hash');
  return parsed({
    name,
    size,
    mediaType: mediaType.length > MAX_MEDIA_TYPE_LENGTH ? DEFAULT_MEDIA_TYPE : mediaType,
    // A malformed optional attribute is dropped, not fatal: the transfer works without it.
    date: date !== null && DATETIME_RE.test(date) ? date : null,
    md5: hash !== null && MD5_HEX_RE.test(hash) ? hash.toLowerCase() : null,
    description: description.length > MAX_DESCRIPTION_LENGTH ? `${description.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : description,
  });
}

/** Reads an incoming file offer (the `<si/>` of an iq set). The file name is untrusted. */
export function parseFileTransferOffer(si: Element): ParseResult<FileTransferOffer> {
  const offer = parseSiOffer(si, NS_FILE_TRANSFER);
  if (!offer.ok) return offer;
  const { id, mimeType, profileElement, methods } = offer.value;
  if (!profileElement.is('file', NS_FILE_TRANSFER)) return { ok: false, error: badProfileError() };
  const file = readFile(profileElement, mimeType);
  if (!file.ok) return file;
  const isRangeSupported = profileElement.getChild('range', NS_FILE_TRANSFER) !== undefined;
  return parsed({ sid: id, file: file.value, methods, isRangeSupported });
}

/**
 * Builds the accepting `<si/>`. §3: `<desc>` "MUST NOT be sent in the result"; a range asks for part
 * of the file ("Sending no attributes is synonymous with not sending the <range> element").
 */
export function buildFileTransferAccept(options: { method: string; range?: ByteRange | null }): Element {
  const { range } = options;
  const profileElement = range
    ? xml('file', { xmlns: NS_FILE_TRANSFER }, xml('range', { offset: range.offset || null, length: range.length }))
    : undefined;
  return buildSiAccept({ method: options.method, profileElement });
}

/** An accepted file offer as the Sender reads it. */
export interface FileTransferAccept {
  method: string;
  methods: string[];
  /**
   * null: "When no <range> element is sent in the Stream Initiation result, the Sender MUST send the
   * complete file starting at offset 0." (§3)
   */
  range: ByteRange | null;
}

function readRange(file: Element | null, fileSize: number | null): ParseResult<ByteRange | null> {
  const range = file?.getChild('range', NS_FILE_TRANSFER);
  if (!range) return parsed(null);
  const hasOffset = readAttr(range, 'offset') !== null;
  const hasLength = readAttr(range, 'length') !== null;
  const offset = hasOffset ? readUint(range, 'offset') : 0;
  const length = hasLength ? readUint(range, 'length') : null;
  if (offset === null || (hasLength && length === null)) return invalid('range offset/length must be non-negative integers');
  if (fileSize !== null && (offset > fileSize || (length !== null && offset + length > fileSize))) {
    return invalid(`range ${offset}+${length ?? 'rest'} outside a file of ${fileSize} bytes`);
  }
  return parsed(!hasOffset && !hasLength ? null : { offset, length });
}

/** Reads the Receiver's accept; with fileSize, a range outside the file is refused. */
export function parseFileTransferAccept(si: Element, options: { fileSize?: number } = {}): ParseResult<FileTransferAccept> {
  const accept = parseSiAccept(si, NS_FILE_TRANSFER);
  if (!accept.ok) return accept;
  const range = readRange(accept.value.profileElement, options.fileSize ?? null);
  if (!range.ok) return range;
  return parsed({ method: accept.value.method, methods: accept.value.methods, range: range.value });
}
