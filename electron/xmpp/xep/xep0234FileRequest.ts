/**
 * XEP-0234: Jingle File Transfer, version 0.19.1 (2019-06-19), §6.2 "Requesting a File", §7 "Ranged
 * Transfers", §9.1 "File not Available", §4.1 "Use of Jingle Content Senders"
 * https://xmpp.org/extensions/xep-0234.html#requesting
 *
 * A File Request: the File Receiver sends the session-initiate, with a content whose 'senders' is the other
 * party, and a `<file/>` that is only a "file selector" (RFC 5547 §5: any of name, size, media type and hash)
 * naming a file the File Sender has; a `<range offset/>` asks for the part not yet received.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import type { Jingle, JingleContent, JingleReasonOptions } from './xep0166Jingle';
import { buildJingle } from './xep0166Jingle';
import { FILE_TRANSFER_REASONS, NS_JINGLE_FT } from './xep0234JingleFt';
import { buildIbbTransport } from './xep0261JingleIbb';
import { buildHash, readHashes, type Hash } from './xep0300Hashes';

/** The content name of Ferry's requests (like "a-file-request" in the §6.2 example). */
export const REQUEST_CONTENT_NAME = 'a-file-request';

/** What a request names: every field is optional in a selector; `offset` is the range's (0 when none). */
export interface FileSelector {
  name: string | null;
  size: number | null;
  hashes: Hash[];
  offset: number;
}

const UINT_RE = /^[0-9]{1,16}$/;

function readUint(text: string | null | undefined): number | null {
  const trimmed = text?.trim() ?? '';
  if (!UINT_RE.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * §4.1: "a Jingle File Transfer content is said to be a "File Offer" if the 'senders' attribute is the same
 * as the role of the party adding the content to the session, and a "File Request" if the 'senders' value is
 * the opposite role of the party adding the content."
 */
export function isFileRequest(content: JingleContent): boolean {
  return (content.creator === 'initiator' && content.senders === 'responder') || (content.creator === 'responder' && content.senders === 'initiator');
}

/**
 * Reads the selector of a File Request's description (`:5` only: Ferry serves no older request format).
 * A selector with nothing in it, or a malformed size or offset, is refused.
 */
export function parseFileSelector(description: Element): ParseResult<FileSelector> {
  if (!description.is('description', NS_JINGLE_FT)) return invalid('not a Jingle file-transfer :5 description');
  const file = description.getChild('file', NS_JINGLE_FT);
  if (!file) return invalid('request without a file');
  const name = file.getChildText('name', NS_JINGLE_FT)?.trim() || null;
  const sizeText = file.getChildText('size', NS_JINGLE_FT);
  const size = sizeText === null ? null : readUint(sizeText);
  if (sizeText !== null && size === null) return invalid('malformed size');
  const range = file.getChild('range', NS_JINGLE_FT);
  const offsetText = range ? readAttr(range, 'offset') : null;
  const offset = offsetText === null ? 0 : readUint(offsetText);
  if (offset === null || (size !== null && offset > size)) return invalid('malformed range offset');
  const { hashes } = readHashes(file);
  if (name === null && size === null && hashes.length === 0) return invalid('an empty file selector');
  return parsed({ name, size, hashes, offset });
}

/** The request a session-initiate carries, or null when it is an offer (or carries no FT content). */
export function readFileRequest(jingle: Jingle): ParseResult<FileSelector> | null {
  const content = jingle.contents[0];
  if (jingle.action !== 'session-initiate' || !content?.description || !isFileRequest(content)) return null;
  return parseFileSelector(content.description);
}

/**
 * A File Request session-initiate (§6.2) for one file: the selector, the range from `offset` (§7: "to
 * restart delivery of a truncated transfer session at a point other than the start of the file") and an
 * IBB transport (XEP-0261), which every implementation must support (XEP-0234 §2: "this specification
 * requires all implementations to support as a fallback mechanism In-Band Bytestreams").
 */
export function buildFileRequest(request: {
  sid: string; initiator: string; selector: FileSelector; ibb: { sid: string; blockSize: number };
}): Element {
  const { selector } = request;
  const file = xml(
    'file', {},
    ...(selector.name ? [xml('name', {}, selector.name)] : []),
    ...(selector.offset > 0 ? [xml('range', { offset: String(selector.offset) })] : []),
    ...(selector.size !== null ? [xml('size', {}, String(selector.size))] : []),
    ...selector.hashes.map(buildHash),
  );
  return buildJingle({
    action: 'session-initiate', sid: request.sid, initiator: request.initiator,
    contents: [{
      creator: 'initiator', name: REQUEST_CONTENT_NAME, senders: 'responder',
      description: xml('description', { xmlns: NS_JINGLE_FT }, file),
      transport: buildIbbTransport({ sid: request.ibb.sid, blockSize: request.ibb.blockSize, stanza: 'iq' }),
    }],
  });
}

/**
 * §9.1: "If a requested file cannot be found (or the requester does not have permission to request or know
 * about the existence of the file in question), then the File Sender SHOULD send either a session-terminate
 * ... and SHOULD include a Jingle reason of <failed-application/> and MAY include an application specific
 * reason of a <file-not-available/> element".
 */
export const FILE_NOT_AVAILABLE_REASON: JingleReasonOptions = {
  condition: 'failed-application', appCondition: FILE_TRANSFER_REASONS.fileNotAvailable,
};
