/**
 * XEP-0047: In-Band Bytestreams, version 2.0.1 (2021-01-12)
 * https://xmpp.org/extensions/xep-0047.html
 *
 * `<open/>`, `<data/>` and `<close/>` payloads. The base64 text is returned as sent; strict decoding,
 * seq order and block-size checks happen in transport/ibb/chunker.ts.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr, readUint } from './attributes';
import { invalid, parsed, stanzaError, type ParseResult, type StanzaError } from './stanzaErrors';

export const NS_IBB = 'http://jabber.org/protocol/ibb';
/** §2.1: block-size "MUST NOT be greater than 65535". */
export const MAX_BLOCK_SIZE_BYTES = 65535;
/** §5: "It is RECOMMENDED to use a 'block-size' of 4096." */
export const RECOMMENDED_BLOCK_SIZE_BYTES = 4096;
const MAX_SEQ = 65535;

/** Which stanza carries `<data/>` (§2.1 'stanza' attribute; default "iq"). */
export type IbbStanzaKind = 'iq' | 'message';

export interface IbbOpen {
  sid: string;
  blockSize: number;
  stanza: IbbStanzaKind;
}

export interface IbbData {
  sid: string;
  seq: number;
  /** The element's character data, untouched. */
  base64: string;
}

// XML 1.0 NameChar, as far as the BMP goes: NMTOKEN is one or more of them.
const NMTOKEN_RE = /^[-.0-9:A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]+$/;

/** True when sid is an XML NMTOKEN. */
export function isNmtoken(sid: string): boolean {
  return NMTOKEN_RE.test(sid);
}

// §2.1: "The REQUIRED 'sid' attribute defines a unique session ID for this IBB session (which MUST
// match the NMTOKEN datatype)." Enforced on what Ferry sends; received sids only need to be non-empty
// and free of whitespace, so that a sloppy peer still gets its file.
function checkOwnSid(sid: string): void {
  if (!isNmtoken(sid)) throw new RangeError(`IBB sid must be an NMTOKEN: ${JSON.stringify(sid)}`);
}

function readSid(element: Element): string | null {
  const sid = readAttr(element, 'sid');
  return sid && !/\s/.test(sid) ? sid : null;
}

/** `<open block-size sid stanza/>` (§2.1). */
export function buildOpen(open: IbbOpen): Element {
  checkOwnSid(open.sid);
  if (!Number.isInteger(open.blockSize) || open.blockSize < 1 || open.blockSize > MAX_BLOCK_SIZE_BYTES) {
    throw new RangeError(`block-size must be 1..${MAX_BLOCK_SIZE_BYTES}`);
  }
  return xml('open', { xmlns: NS_IBB, 'block-size': open.blockSize, sid: open.sid, stanza: open.stanza });
}

/** Reads `<open/>`; a missing or out-of-range block-size or sid is bad-request. */
export function parseOpen(open: Element): ParseResult<IbbOpen> {
  if (!open.is('open', NS_IBB)) return invalid('not an IBB open');
  const sid = readSid(open);
  if (!sid) return invalid('missing or malformed sid');
  const blockSize = readUint(open, 'block-size', MAX_BLOCK_SIZE_BYTES);
  if (!blockSize) return invalid(`block-size must be 1..${MAX_BLOCK_SIZE_BYTES}`);
  const stanza = readAttr(open, 'stanza') ?? 'iq';
  if (stanza !== 'iq' && stanza !== 'message') return invalid(`unknown stanza kind ${stanza}`);
  return parsed({ sid, blockSize, stanza });
}

/**
 * The responder's verdict on a requested block-size. §2.1: "If the responder supports IBB but would
 * prefer a smaller block-size, it returns a &constraint; error." (type modify, as in the example).
 * Null means accept.
 */
export function checkBlockSize(open: IbbOpen, maxAcceptableBytes: number): StanzaError | null {
  if (open.blockSize <= maxAcceptableBytes) return null;
  return stanzaError('resource-constraint', { type: 'modify', text: `block-size at most ${maxAcceptableBytes}` });
}

/** `<data seq sid>base64</data>` (§2.2), for an `<iq type='set'/>` or a `<message/>` (§4). */
export function buildData(data: IbbData): Element {
  checkOwnSid(data.sid);
  // §2.2: seq "is a 16-bit unsigned integer"
  if (!Number.isInteger(data.seq) || data.seq < 0 || data.seq > MAX_SEQ) throw new RangeError(`bad seq ${data.seq}`);
  return xml('data', { xmlns: NS_IBB, seq: data.seq, sid: data.sid }, data.base64);
}

/**
 * Reads `<data/>`. §2.2: "The <data/> element MUST possess a 'seq' attribute" and "MUST also possess a
 * 'sid' attribute"; without them the packet cannot be processed: bad-request.
 */
export function parseData(data: Element): ParseResult<IbbData> {
  if (!data.is('data', NS_IBB)) return invalid('not IBB data');
  const sid = readSid(data);
  if (!sid) return invalid('missing or malformed sid');
  const seq = readUint(data, 'seq', MAX_SEQ);
  if (seq === null) return invalid('seq must be a 16-bit unsigned integer');
  return parsed({ sid, seq, base64: data.getText() });
}

/** `<close sid/>` (§2.3). */
export function buildClose(options: { sid: string }): Element {
  checkOwnSid(options.sid);
  return xml('close', { xmlns: NS_IBB, sid: options.sid });
}

/** Reads `<close/>`. */
export function parseClose(close: Element): ParseResult<{ sid: string }> {
  if (!close.is('close', NS_IBB)) return invalid('not an IBB close');
  const sid = readSid(close);
  return sid ? parsed({ sid }) : invalid('missing or malformed sid');
}

/**
 * The errors for a bad data packet, keyed like the reassembler's reasons. §2.2: "Because the session
 * ID is unknown, the recipient returns an &notfound; error with a type of 'cancel'"; "Because the
 * sequence number has already been used, the recipient returns an &unexpected; error with a type of
 * 'cancel'"; "Because the data is not formatted in accordance with Section 4 of RFC 4648, the recipient
 * returns a &badrequest; error with a type of 'cancel'". The spec names no error for a gap or an
 * oversize block (only that the bytestream MUST be closed); Ferry answers them like the nearest case.
 */
export const DATA_ERRORS = {
  'unknown-session': stanzaError('item-not-found', { type: 'cancel' }),
  duplicate: stanzaError('unexpected-request', { type: 'cancel', text: 'seq already used' }),
  'out-of-order': stanzaError('unexpected-request', { type: 'cancel', text: 'seq out of order' }),
  'bad-base64': stanzaError('bad-request', { type: 'cancel', text: 'not RFC 4648 §4 base64' }),
  oversize: stanzaError('bad-request', { type: 'cancel', text: 'block larger than block-size' }),
} as const satisfies Record<string, StanzaError>;
