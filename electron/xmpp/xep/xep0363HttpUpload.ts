/**
 * XEP-0363: HTTP File Upload, version 1.2.0 (2025-06-17)
 * https://xmpp.org/extensions/xep-0363.html
 *
 * The upload service as disco#info shows it (§3), the slot request and the slot (§4), and the error
 * conditions a service answers instead (§5, "Error conditions"). The PUT itself is transport/. The
 * optional upload purpose of 1.2.0 (§5 "Upload purpose") is not sent: "If no purpose is specified, the
 * service MUST assume 'message' as the default purpose", which is what Ferry uploads for.
 */
import xml, { type Element } from '@xmpp/xml';
import { isMediaType, readAttr, readMediaType, readUint } from './attributes';
import { readHttpUrl } from './httpUrls';
import { buildStanzaError, invalid, parsed, parseStanzaError, stanzaError, type ParseResult, type StanzaError } from './stanzaErrors';
import { fieldValue } from './xep0004DataForms';
import type { DiscoInfo } from './xep0030Disco';
import { MAX_FILE_NAME_LENGTH } from './xep0096FileTransfer';

export const NS_HTTP_UPLOAD = 'urn:xmpp:http:upload:0';

/** An upload service read from its disco#info. */
export interface UploadService {
  /** The name of its store/file identity, when it has one. */
  name: string | null;
  /** Bytes; null when the service announces no limit (or an unreadable one). */
  maxFileSize: number | null;
}

/** What a slot is asked for (§4). */
export interface SlotRequest {
  filename: string;
  size: number;
  contentType: string | null;
}

/** §4: "Only the following header names are allowed: Authorization, Cookie, Expires." */
export type SlotHeaderName = 'Authorization' | 'Cookie' | 'Expires';

export interface SlotHeader {
  name: SlotHeaderName;
  value: string;
}

/** A slot: where to PUT (with the headers to send, in order) and where the file can then be fetched. */
export interface Slot {
  putUrl: string;
  headers: SlotHeader[];
  getUrl: string;
}

/**
 * Why a service gave no slot. `not-allowed` covers `<forbidden/>` (0.7.0: "Changed not-allowed error to
 * forbidden") and the `<not-allowed/>` of older services; `error` is always the stanza error as read.
 */
export type UploadRefusal =
  | { reason: 'file-too-large'; maxFileSize: number | null; error: StanzaError }
  | { reason: 'quota'; retryAt: string | null; error: StanzaError }
  | { reason: 'not-allowed'; error: StanzaError }
  | { reason: 'other'; error: StanzaError };

const HEADER_NAMES: readonly SlotHeaderName[] = ['Authorization', 'Cookie', 'Expires'];
/** `<header/>` children read from one `<put/>`; a slot with more is refused (real services send one or two). */
export const MAX_SLOT_HEADERS = 16;
/** Longest header value kept; a longer one refuses the slot (it could not be sent as the spec demands). */
const MAX_HEADER_VALUE_LENGTH = 8192;
// What an HTTP/1.1 field value may hold once newlines are stripped (RFC 9110 §5.5: VCHAR, SP, HTAB and
// obs-text); Node's client throws on anything else.
const HEADER_VALUE_RE = /^[\t\x20-\x7e\x80-\xff]*$/;
const UTC_DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const POSITIVE_INTEGER_RE = /^[0-9]{1,16}$/;

function readPositiveInteger(text: string | null | undefined): number | null {
  const trimmed = text?.trim() ?? '';
  if (!POSITIVE_INTEGER_RE.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/**
 * The upload service a disco#info describes, or null when it is none. §3: "An entity advertises support
 * for this protocol by including the "urn:xmpp:http:upload:0" in its service discovery information
 * features": the feature decides; the store/file identity of the §3 example only lends its name. "The
 * field name MUST be "max-file-size" and the value MUST be in bytes", in the XEP-0128 form whose
 * FORM_TYPE is the namespace; 0 or a malformed value reads as no announced limit.
 */
export function readUploadService(info: Pick<DiscoInfo, 'identities' | 'features' | 'forms'>): UploadService | null {
  if (!info.features.includes(NS_HTTP_UPLOAD)) return null;
  const identity = info.identities.find((i) => i.category === 'store' && i.type === 'file');
  const form = info.forms.find((f) => f.formType === NS_HTTP_UPLOAD);
  return { name: identity?.name ?? null, maxFileSize: readPositiveInteger(form ? fieldValue(form, 'max-file-size') : null) };
}

/**
 * `<request xmlns filename size content-type?/>` (§4): "This element MUST include the attributes filename
 * and size". The schema types size as positiveInteger; an empty file is still asked for (size 0), which
 * Prosody's mod_http_file_share accepts, and a service that does not answers with an error.
 */
export function buildSlotRequest(request: SlotRequest): Element {
  const { filename, size, contentType } = request;
  if (filename === '' || filename.length > MAX_FILE_NAME_LENGTH || /[/\p{Cc}]/u.test(filename)) {
    throw new RangeError(`unusable upload file name ${JSON.stringify(filename.slice(0, 64))}`);
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad upload size ${size}`);
  if (contentType !== null && !isMediaType(contentType)) throw new RangeError(`bad content-type ${contentType}`);
  return xml('request', { xmlns: NS_HTTP_UPLOAD, filename, size, 'content-type': contentType ?? undefined });
}

/** Reads a slot request, as an upload service does (test fakes). A malformed content-type reads as none. */
export function parseSlotRequest(request: Element): ParseResult<SlotRequest> {
  if (!request.is('request', NS_HTTP_UPLOAD)) return invalid('not an HTTP upload request');
  const filename = readAttr(request, 'filename');
  const size = readUint(request, 'size');
  if (!filename || size === null) return invalid('request needs filename and size');
  if (filename.length > MAX_FILE_NAME_LENGTH) return invalid(`filename longer than ${MAX_FILE_NAME_LENGTH} characters`, 'not-acceptable');
  return parsed({ filename, size, contentType: readMediaType(request, 'content-type') });
}

/** `<slot><put url><header name/>*</put><get url/></slot>` (§4), as a service answers (test fakes). */
export function buildSlot(slot: Slot): Element {
  return xml('slot', { xmlns: NS_HTTP_UPLOAD },
    xml('put', { url: slot.putUrl }, ...slot.headers.map((header) => xml('header', { name: header.name }, header.value))),
    xml('get', { url: slot.getUrl }));
}

/**
 * The allowed headers of a `<put/>`, in document order. §4: "Other header names MUST be ignored by the
 * requesting entity and MUST NOT be included in the HTTP request. The requesting entity MUST strip any
 * newline characters from the header name and value before performing the HTTP request, but MUST
 * preserve the relative order of multiple values for the same header in the request. Each header name
 * MAY be present zero or more times, and are case insensitive". Names come back in the spec's spelling.
 */
function readHeaders(put: Element): ParseResult<SlotHeader[]> {
  const elements = put.getChildren('header', NS_HTTP_UPLOAD);
  if (elements.length > MAX_SLOT_HEADERS) return invalid(`more than ${MAX_SLOT_HEADERS} headers`);
  const headers: SlotHeader[] = [];
  for (const element of elements) {
    const rawName = (readAttr(element, 'name') ?? '').replace(/[\r\n]/g, '').toLowerCase();
    const name = HEADER_NAMES.find((allowed) => allowed.toLowerCase() === rawName);
    if (!name) continue;
    const value = element.getText().replace(/[\r\n]/g, '');
    // §4: "The allowed headers provided in the response MUST be included in the HTTP PUT request": one
    // that HTTP cannot carry makes the slot unusable, rather than silently failing the PUT later.
    if (value.length > MAX_HEADER_VALUE_LENGTH || !HEADER_VALUE_RE.test(value)) return invalid(`${name} header cannot be sent over HTTP`);
    headers.push({ name, value });
  }
  return parsed(headers);
}

/**
 * Reads a slot. The schema has exactly one `<put/>` and one `<get/>`, in either order (Prosody writes get
 * first). §4: "The host MUST provide Transport Layer Security" and "Both HTTPS URLs MUST adhere to RFC
 * 3986": both must be https; plain http only to a loopback host (see httpUrls.ts, policy 'tls').
 */
export function parseSlot(slot: Element): ParseResult<Slot> {
  if (!slot.is('slot', NS_HTTP_UPLOAD)) return invalid('not an HTTP upload slot');
  const puts = slot.getChildren('put', NS_HTTP_UPLOAD);
  const gets = slot.getChildren('get', NS_HTTP_UPLOAD);
  if (puts.length !== 1 || gets.length !== 1) return invalid('a slot needs exactly one put and one get');
  const putUrl = readHttpUrl(readAttr(puts[0], 'url'), 'tls');
  const getUrl = readHttpUrl(readAttr(gets[0], 'url'), 'tls');
  if (!putUrl || !getUrl) return invalid('slot URLs must be https (or http to a loopback host)');
  const headers = readHeaders(puts[0]);
  return headers.ok ? parsed({ putUrl, headers: headers.value, getUrl }) : headers;
}

/**
 * §5: "The retry element MUST include an attribute 'stamp' which indicates the time at which the
 * requesting entity may try again. The format of the timestamp MUST adhere to the date-time format
 * specified in XEP-0082 and MUST be expressed in UTC." Anything else reads as no time given.
 */
function readRetryStamp(error: Element): string | null {
  const stamp = error.getChild('retry', NS_HTTP_UPLOAD)?.attrs.stamp;
  return typeof stamp === 'string' && UTC_DATETIME_RE.test(stamp) && Number.isFinite(Date.parse(stamp)) ? stamp : null;
}

/**
 * Reads the error a service sent instead of a slot (an `<iq type='error'/>` or its `<error/>`); null
 * when there is none. §5: the service "MAY respond with an error if the requested file size is too
 * large. In addition the entity MAY inform the requester about the maximum file size" (a
 * `<file-too-large/>` with an optional `<max-file-size/>`); "For temporary errors such as exceeding a
 * personal quota the service MAY include a <retry/> element" (the example: resource-constraint, wait).
 */
export function parseUploadRefusal(stanza: Element): UploadRefusal | null {
  const element = stanza.getName() === 'error' ? stanza : stanza.getChild('error');
  const error = element ? parseStanzaError(element) : null;
  if (!element || !error) return null;
  const tooLarge = element.getChild('file-too-large', NS_HTTP_UPLOAD);
  if (tooLarge) return { reason: 'file-too-large', maxFileSize: readPositiveInteger(tooLarge.getChildText('max-file-size', NS_HTTP_UPLOAD)), error };
  const retry = element.getChild('retry', NS_HTTP_UPLOAD);
  if (retry || error.condition === 'resource-constraint') return { reason: 'quota', retryAt: readRetryStamp(element), error };
  if (error.condition === 'forbidden' || error.condition === 'not-allowed') return { reason: 'not-allowed', error };
  return { reason: 'other', error };
}

/** The §5 "file size was too large" error (not-acceptable, modify), as a service sends it (test fakes). */
export function buildFileTooLargeError(options: { maxFileSize: number | null; text?: string }): Element {
  const error = buildStanzaError(stanzaError('not-acceptable', { type: 'modify', text: options.text }));
  const limit = options.maxFileSize === null ? [] : [xml('max-file-size', {}, String(options.maxFileSize))];
  error.append(xml('file-too-large', { xmlns: NS_HTTP_UPLOAD }, ...limit));
  return error;
}

/** The §5 quota error (resource-constraint, wait) with an optional `<retry stamp/>` (test fakes). */
export function buildQuotaError(options: { retryAt: string | null; text?: string }): Element {
  const error = buildStanzaError(stanzaError('resource-constraint', { type: 'wait', text: options.text }));
  if (options.retryAt !== null) error.append(xml('retry', { xmlns: NS_HTTP_UPLOAD, stamp: options.retryAt }));
  return error;
}
