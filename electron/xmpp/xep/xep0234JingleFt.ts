/**
 * XEP-0234: Jingle File Transfer, version 0.19.1 (2019-06-19)
 * https://xmpp.org/extensions/xep-0234.html
 *
 * The application format (`<description><file/></description>`, §5) and the informational payloads
 * `<checksum/>` and `<received/>` (§8). Ferry sends `:5`; it also reads `:4` (0.16–0.17, hashes:1) and
 * `:3` (0.14–0.15, where the file sits in an `<offer/>` wrapper). Seed 003 (0.5, 2008) used the XEP-0096
 * `<file/>`; nobody speaks that any more.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr } from './attributes';
import { invalid, parsed, type AppCondition, type ParseResult } from './stanzaErrors';
import { DATETIME_RE, MAX_DESCRIPTION_LENGTH, MAX_FILE_NAME_LENGTH, MAX_MEDIA_TYPE_LENGTH } from './xep0096FileTransfer';
import { MAX_CONTENT_NAME_LENGTH, type JingleRole } from './xep0166Jingle';
import { buildHash, buildHashUsed, readHashes, type Hash } from './xep0300Hashes';

export const NS_JINGLE_FT = 'urn:xmpp:jingle:apps:file-transfer:5';
/** 0.16 (2014) "Removed <offer/> wrapper", hashes in urn:xmpp:hashes:1. */
const NS_JINGLE_FT_4 = 'urn:xmpp:jingle:apps:file-transfer:4';
/** 0.14 (2011): `<description><offer><file/></offer></description>`, hashes in urn:xmpp:hashes:1. */
const NS_JINGLE_FT_3 = 'urn:xmpp:jingle:apps:file-transfer:3';
/** §9: application-specific reasons, for JingleReason.appCondition. */
export const NS_JINGLE_FT_ERRORS = 'urn:xmpp:jingle:apps:file-transfer:errors:0';

/**
 * §9.1: a File Sender refusing a request "SHOULD include a Jingle reason of <failed-application/> and MAY
 * include ... <file-not-available/>"; §9.2: a File Receiver aborting over too much data sends
 * "<media-error/> and MAY include ... <file-too-large/>".
 */
export const FILE_TRANSFER_REASONS = {
  fileNotAvailable: { name: 'file-not-available', ns: NS_JINGLE_FT_ERRORS },
  fileTooLarge: { name: 'file-too-large', ns: NS_JINGLE_FT_ERRORS },
} as const satisfies Record<string, AppCondition>;

/** The namespace version a payload came in (5, 4 or 3). */
export type JingleFtVersion = 3 | 4 | 5;

/**
 * A `<range/>` (§5): "offset ... defaults to zero"; length "defaults to the length of the file from offset
 * to the end" (null). Inside a checksum it carries the hashes of that range (§8.2).
 */
export interface FileRange {
  offset: number;
  length: number | null;
  hashes: Hash[];
}

/** The `<file/>` of a description. Text fields are capped like XEP-0096's (see xep0096FileTransfer). */
export interface JingleFile {
  name: string;
  size: number;
  /** "If not specified, the content is assumed to be "application/octet-stream"." */
  mediaType: string;
  /** XEP-0082 DateTime, or null (absent or malformed). */
  date: string | null;
  /** The `<desc/>` text ('' when absent). */
  description: string;
  hashes: Hash[];
  /** Algorithms announced for a later checksum (`<hash-used/>` or an empty `<hash/>`). */
  hashesUsed: string[];
  /** Present: "indicates support of ranged transfers" in an offer, or asks for a part in an accept. */
  range: FileRange | null;
}

/** What buildFileDescription needs; a parsed JingleFile is one. */
export type JingleFileOptions = Pick<JingleFile, 'name' | 'size'> & Partial<Omit<JingleFile, 'name' | 'size'>>;

export interface FileDescription {
  version: JingleFtVersion;
  file: JingleFile;
}

/** The `<file/>` of a checksum: hashes of the whole file, or of a range (§8.2). */
export interface ChecksumFile {
  hashes: Hash[];
  hashesUsed: string[];
  range: FileRange | null;
}

/** A `<checksum/>` (§8.2). creator and name identify the content; `:3` had neither (null). */
export interface JingleChecksum {
  version: JingleFtVersion;
  creator: JingleRole | null;
  name: string | null;
  file: ChecksumFile;
}

/** A `<received/>` (§8.1); `:3` identified the file by hash instead (creator and name null). */
export interface JingleReceived {
  version: JingleFtVersion;
  creator: JingleRole | null;
  name: string | null;
}

const DEFAULT_MEDIA_TYPE = 'application/octet-stream';
const VERSIONS: Readonly<Record<string, JingleFtVersion>> = { [NS_JINGLE_FT]: 5, [NS_JINGLE_FT_4]: 4, [NS_JINGLE_FT_3]: 3 };

/** Whether `ns` is a file-transfer namespace Ferry reads (:5, and :4 and :3 from older clients). */
export function isFileTransferNamespace(ns: string): boolean {
  return Object.hasOwn(VERSIONS, ns);
}
const UINT_RE = /^[0-9]{1,16}$/;

/** The version of an element of this name in one of the three namespaces, or null. */
function versionOf(element: Element, name: string): { version: JingleFtVersion; ns: string } | null {
  const ns = element.getNS() ?? '';
  const version = element.getName() === name ? VERSIONS[ns] : undefined;
  return version === undefined ? null : { version, ns };
}

function readUintText(text: string | null): number | null {
  const trimmed = text?.trim() ?? '';
  if (!UINT_RE.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** §5: "Multiple <desc/> elements MAY be included if different xml:lang values are specified": the one without xml:lang wins, else the first. */
function readDescription(file: Element, ns: string): string {
  const descs = file.getChildren('desc', ns);
  const desc = descs.find((element) => readAttr(element, 'xml:lang') === null) ?? descs[0];
  return capText(desc?.getText().trim() ?? '', MAX_DESCRIPTION_LENGTH);
}

function readOptionalUint(element: Element, name: string): { value: number | null; isValid: boolean } {
  const text = readAttr(element, name);
  const value = text === null ? null : readUintText(text);
  return { value, isValid: text === null || value !== null };
}

/** Reads a `<range/>`; with a file size, one reaching past the end is refused. */
function readRange(file: Element, ns: string, size: number | null): ParseResult<FileRange | null> {
  const range = file.getChild('range', ns);
  if (!range) return parsed(null);
  const offset = readOptionalUint(range, 'offset');
  const length = readOptionalUint(range, 'length');
  if (!offset.isValid || !length.isValid) return invalid('range offset/length must be non-negative integers');
  const start = offset.value ?? 0;
  if (size !== null && (start > size || (length.value !== null && start + length.value > size))) {
    return invalid(`range ${start}+${length.value ?? 'rest'} outside a file of ${size} bytes`);
  }
  return parsed({ offset: start, length: length.value, hashes: readHashes(range).hashes });
}

/**
 * Reads the metadata Ferry needs to receive a file. §5 makes name and size OPTIONAL ("size ... SHOULD be
 * present when offering a file"), but without them nothing can be saved or checked: bad-request. A name
 * longer than any file system allows is not-acceptable; malformed optional parts are dropped. §5 "Either
 * a <hash/> or a <hash-used/> element MUST be included when offering a file" is not enforced: a file
 * without a hash is still worth receiving, it just cannot be verified.
 */
function readFile(file: Element, ns: string): ParseResult<JingleFile> {
  const name = file.getChildText('name', ns)?.trim() ?? '';
  const size = readUintText(file.getChildText('size', ns));
  if (!name || size === null) return invalid('file needs a name and a size');
  if (name.length > MAX_FILE_NAME_LENGTH) return invalid(`file name longer than ${MAX_FILE_NAME_LENGTH} characters`, 'not-acceptable');
  const range = readRange(file, ns, size);
  if (!range.ok) return range;
  const mediaType = file.getChildText('media-type', ns)?.trim() ?? '';
  const date = file.getChildText('date', ns)?.trim() ?? '';
  return parsed({
    name, size,
    mediaType: mediaType === '' || mediaType.length > MAX_MEDIA_TYPE_LENGTH ? DEFAULT_MEDIA_TYPE : mediaType,
    date: DATETIME_RE.test(date) ? date : null,
    description: readDescription(file, ns),
    ...readHashes(file),
    range: range.value,
  });
}

/**
 * Reads the `<description/>` of a content (an offer, or the echo in a session-accept). `:3` wraps the
 * file in `<offer/>`; its `<request/>` (a pull, which Ferry does not serve) reads as no file.
 */
export function parseFileDescription(description: Element): ParseResult<FileDescription> {
  const found = versionOf(description, 'description');
  if (!found) return invalid('not a Jingle file-transfer description');
  const { version, ns } = found;
  const file = (version === 3 ? description.getChild('offer', ns) : description)?.getChild('file', ns);
  if (!file) return invalid('description without a file');
  const meta = readFile(file, ns);
  return meta.ok ? parsed({ version, file: meta.value }) : meta;
}

function buildRange(range: FileRange | null | undefined): Element[] {
  if (!range) return [];
  return [xml('range', { offset: range.offset || undefined, length: range.length ?? undefined }, ...range.hashes.map(buildHash))];
}

function checkRange(range: FileRange | null | undefined): void {
  const isBad = (value: number) => !Number.isSafeInteger(value) || value < 0;
  if (range && (isBad(range.offset) || (range.length !== null && isBad(range.length)))) throw new RangeError('bad range');
}

/**
 * `<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file>…</file></description>`, children in
 * the order of the §6.1 example. media-type is always written (§5: "RECOMMENDED when offering a file").
 */
export function buildFileDescription(file: JingleFileOptions): Element {
  if (!file.name || !Number.isSafeInteger(file.size) || file.size < 0) throw new RangeError('a file offer needs a name and a size');
  checkRange(file.range);
  return xml('description', { xmlns: NS_JINGLE_FT }, xml(
    'file', {},
    ...(file.date ? [xml('date', {}, file.date)] : []),
    ...(file.description ? [xml('desc', {}, file.description)] : []),
    xml('media-type', {}, file.mediaType || DEFAULT_MEDIA_TYPE),
    xml('name', {}, file.name),
    ...buildRange(file.range),
    xml('size', {}, String(file.size)),
    ...(file.hashes ?? []).map(buildHash),
    ...(file.hashesUsed ?? []).map(buildHashUsed),
  ));
}

/** creator and name of a checksum or received: "SHOULD contain" (§8.1, §8.2); a bad value is refused. */
function readContentRef(element: Element): ParseResult<{ creator: JingleRole | null; name: string | null }> {
  const creator = readAttr(element, 'creator');
  const name = readAttr(element, 'name');
  if (creator !== null && creator !== 'initiator' && creator !== 'responder') return invalid(`unknown creator ${creator}`);
  if (name !== null && (name === '' || name.length > MAX_CONTENT_NAME_LENGTH)) return invalid('unusable content name');
  return parsed({ creator, name });
}

/**
 * Reads a `<checksum/>` session-info payload. §8.2: it "MUST contain a <file/> element which MUST contain
 * at least one <hash/> or <hash-used/> element" (here: a usable one, on the file or its range).
 */
export function parseChecksum(checksum: Element): ParseResult<JingleChecksum> {
  const found = versionOf(checksum, 'checksum');
  if (!found) return invalid('not a Jingle file-transfer checksum');
  const ref = readContentRef(checksum);
  if (!ref.ok) return ref;
  const file = checksum.getChild('file', found.ns);
  if (!file) return invalid('checksum without a file');
  const range = readRange(file, found.ns, null);
  if (!range.ok) return range;
  const { hashes, hashesUsed } = readHashes(file);
  if (hashes.length + hashesUsed.length + (range.value?.hashes.length ?? 0) === 0) return invalid('checksum without a usable hash');
  return parsed({ version: found.version, ...ref.value, file: { hashes, hashesUsed, range: range.value } });
}

/** `<checksum xmlns=':5' creator name><file><hash/>…</file></checksum>` (§8.2). */
export function buildChecksum(checksum: { creator: JingleRole; name: string; file: Partial<ChecksumFile> }): Element {
  const { file } = checksum;
  checkRange(file.range);
  if ((file.hashes?.length ?? 0) + (file.hashesUsed?.length ?? 0) + (file.range?.hashes.length ?? 0) === 0) {
    throw new RangeError('a checksum needs at least one hash');
  }
  return xml('checksum', { xmlns: NS_JINGLE_FT, creator: checksum.creator, name: checksum.name }, xml(
    'file', {},
    ...buildRange(file.range),
    ...(file.hashes ?? []).map(buildHash),
    ...(file.hashesUsed ?? []).map(buildHashUsed),
  ));
}

/** Reads a `<received/>` session-info payload (§8.1). */
export function parseReceived(received: Element): ParseResult<JingleReceived> {
  const found = versionOf(received, 'received');
  if (!found) return invalid('not a Jingle file-transfer received');
  const ref = readContentRef(received);
  return ref.ok ? parsed({ version: found.version, ...ref.value }) : ref;
}

/** `<received xmlns=':5' creator name/>` (§8.1): "SHOULD contain 'creator' and 'name' attributes". */
export function buildReceived(received: { creator: JingleRole; name: string }): Element {
  return xml('received', { xmlns: NS_JINGLE_FT, creator: received.creator, name: received.name });
}
