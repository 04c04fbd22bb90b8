/**
 * XEP-0166: Jingle, version 1.1.2 (2018-09-19)
 * https://xmpp.org/extensions/xep-0166.html
 *
 * The `<jingle/>` payload: action, sid, initiator/responder, `<content/>` (its description and transport
 * stay Elements, for xep0234JingleFt, xep0260JingleS5b and xep0261JingleIbb to read), `<reason/>`, the
 * informational payloads, and the Jingle error conditions of §10. Session state lives above this folder.
 */
import xml, { type Element } from '@xmpp/xml';
import { parseJid } from '../../../shared/model/jid';
import { readAttr } from './attributes';
import { APP_CONDITIONS, invalid, parsed, stanzaError, type AppCondition, type ParseResult, type StanzaError } from './stanzaErrors';
import { isNmtoken } from './xep0047Ibb';

export const NS_JINGLE = 'urn:xmpp:jingle:1';
/** §10: "These condition elements are qualified by the 'urn:xmpp:jingle:errors:1' namespace". */
export const NS_JINGLE_ERRORS = 'urn:xmpp:jingle:errors:1';

/** §7.2: "The value of the 'action' attribute MUST be one of the following." */
export const JINGLE_ACTIONS = [
  'content-accept', 'content-add', 'content-modify', 'content-reject', 'content-remove', 'description-info',
  'security-info', 'session-accept', 'session-info', 'session-initiate', 'session-terminate', 'transport-accept',
  'transport-info', 'transport-reject', 'transport-replace',
] as const;
export type JingleAction = (typeof JINGLE_ACTIONS)[number];

const ROLES = ['initiator', 'responder'] as const;
const SENDERS = ['both', 'initiator', 'responder', 'none'] as const;
/** The two parties of a session (§7.3 'creator'). */
export type JingleRole = (typeof ROLES)[number];
/** §7.3 'senders': who generates content; "the default is "both"". */
export type JingleSenders = (typeof SENDERS)[number];

/** §7.4 "Defined Conditions". */
export const REASON_CONDITIONS = [
  'alternative-session', 'busy', 'cancel', 'connectivity-error', 'decline', 'expired', 'failed-application',
  'failed-transport', 'general-error', 'gone', 'incompatible-parameters', 'media-error', 'security-error', 'success',
  'timeout', 'unsupported-applications', 'unsupported-transports',
] as const;
export type JingleReasonCondition = (typeof REASON_CONDITIONS)[number];

/** A `<reason/>` (§7.4). */
export interface JingleReason {
  condition: JingleReasonCondition;
  /** Human-readable `<text/>`, capped at MAX_REASON_TEXT_LENGTH. */
  text: string | null;
  /** "an element qualified by some other namespace that provides more detailed machine-readable information" */
  appCondition: AppCondition | null;
  /** The `<sid/>` of `<alternative-session/>`: "the Jingle session ID of the alternative session". */
  alternativeSid: string | null;
}

/** What buildReason needs; a parsed JingleReason is one. */
export type JingleReasonOptions = Pick<JingleReason, 'condition'> & Partial<Omit<JingleReason, 'condition'>>;

/** A `<content/>` (§7.3). */
export interface JingleContent {
  creator: JingleRole;
  name: string;
  senders: JingleSenders;
  /** "The default value of this attribute is "session"." */
  disposition: string;
  /** The application's `<description/>` (any namespace but Jingle's), or null. */
  description: Element | null;
  /** The `<transport/>` (any namespace but Jingle's), or null. */
  transport: Element | null;
}

/** What buildJingle needs for a content; a parsed JingleContent is one. */
export type JingleContentOptions = Pick<JingleContent, 'creator' | 'name'> & Partial<Omit<JingleContent, 'creator' | 'name'>>;

/** A parsed `<jingle/>` (§7.1). */
export interface Jingle {
  action: JingleAction;
  sid: string;
  /** A valid JID or null. §7.1: for actions but session-initiate, "the recipient ... SHOULD ignore the value". */
  initiator: string | null;
  responder: string | null;
  contents: JingleContent[];
  reason: JingleReason | null;
  /** Child elements of other namespaces: the payloads of session-info (§6.8) and the like, in order. */
  info: Element[];
}

/** What buildJingle needs; a parsed Jingle is one. */
export interface JingleOptions {
  action: JingleAction;
  sid: string;
  initiator?: string | null;
  responder?: string | null;
  contents?: readonly JingleContentOptions[];
  reason?: JingleReasonOptions | null;
  info?: readonly Element[];
}

/**
 * Bounds on peer-supplied values. A session of more contents than this is refused with
 * resource-constraint: §6.3.2 "If the responder does not have sufficient resources to participate in a
 * session, it MUST return a &constraint; error." Longer sids and content names are refused (bad-request);
 * a longer reason text is cut (it is informative only).
 */
export const MAX_CONTENTS = 32;
const MAX_SID_LENGTH = 256;
export const MAX_CONTENT_NAME_LENGTH = 256;
export const MAX_REASON_TEXT_LENGTH = 1024;
// §7.3: disposition is an xs:NCName, "one of the values registered in the IANA Mail Content Disposition Values".
const DISPOSITION_RE = /^[A-Za-z_][A-Za-z0-9._-]{0,63}$/;

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

// §7.1: the sid "SHOULD match the XML Nmtoken production": enforced on what Ferry sends; received sids
// only need to be non-empty, bounded and free of whitespace.
function isUsableSid(sid: string | null): sid is string {
  return sid !== null && sid !== '' && sid.length <= MAX_SID_LENGTH && !/\s/.test(sid);
}

function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function readJidAttr(element: Element, name: string): string | null {
  const value = readAttr(element, name);
  return value !== null && parseJid(value) ? value : null;
}

/** The first child of that name in a namespace other than Jingle's (the schema's `##other`). */
function payloadChild(content: Element, name: string): Element | null {
  return content.getChildElements().find((child) => child.getName() === name && child.getNS() !== NS_JINGLE) ?? null;
}

function parseContent(content: Element, action: JingleAction): ParseResult<JingleContent> {
  // §7.3 creator: "the defined values are "initiator" and "responder" (where the default is "initiator")"
  const creator = readAttr(content, 'creator') ?? 'initiator';
  if (!isOneOf(ROLES, creator)) return invalid(`unknown content creator ${creator}`);
  const name = readAttr(content, 'name');
  if (!name || name.length > MAX_CONTENT_NAME_LENGTH) return invalid('content without a usable name');
  const sendersAttr = readAttr(content, 'senders');
  // §7.3 senders: "OPTIONAL except when sending content-modify, in which case it is REQUIRED."
  if (sendersAttr === null && action === 'content-modify') return invalid('content-modify without senders');
  const senders = sendersAttr ?? 'both';
  if (!isOneOf(SENDERS, senders)) return invalid(`unknown senders ${senders}`);
  const disposition = readAttr(content, 'disposition') ?? 'session';
  if (!DISPOSITION_RE.test(disposition)) return invalid('malformed disposition');
  return parsed({
    creator, name, senders, disposition,
    description: payloadChild(content, 'description'),
    transport: payloadChild(content, 'transport'),
  });
}

/**
 * The rules a whole action puts on its contents. §6.2: a session-initiate "contains one or more
 * &CONTENT; elements", each with "one &DESCRIPTION; ... and one &TRANSPORT; child element", and §6.3.2:
 * "If the initiation request was malformed, the responder MUST return a &badrequest; error." §7.2.8: "In
 * the session-accept stanza, the &JINGLE; element MUST contain one or more <content/> elements, each of
 * which MUST contain one <description/> element and one <transport/> element." §7.2.10: "at least one
 * MUST have a disposition of "session"; if this rule is violated, the responder MUST return a
 * &badrequest; error to the initiator."
 */
function checkContents(action: JingleAction, contents: readonly JingleContent[]): ParseResult<never> | null {
  if (action !== 'session-initiate' && action !== 'session-accept') return null;
  if (contents.length === 0) return invalid(`${action} without content`);
  if (contents.some((content) => !content.description || !content.transport)) return invalid(`${action} content needs a description and a transport`);
  if (action === 'session-initiate' && !contents.some((content) => content.disposition === 'session')) {
    return invalid('session-initiate without a content of disposition "session"');
  }
  return null;
}

function readContents(jingle: Element, action: JingleAction): ParseResult<JingleContent[]> {
  const elements = jingle.getChildren('content', NS_JINGLE);
  if (elements.length > MAX_CONTENTS) return invalid(`more than ${MAX_CONTENTS} contents`, 'resource-constraint');
  const contents: JingleContent[] = [];
  for (const element of elements) {
    const content = parseContent(element, action);
    if (!content.ok) return content;
    contents.push(content.value);
  }
  return checkContents(action, contents) ?? parsed(contents);
}

/**
 * Reads a `<reason/>` (§7.4). It "MUST contain an element that provides machine-readable information";
 * a missing or unknown one reads as general-error ("a non-specific application error") rather than
 * failing: a session-terminate is never refused over its reason.
 */
export function parseReason(reason: Element): ParseResult<JingleReason> {
  if (!reason.is('reason', NS_JINGLE)) return invalid('not a jingle reason');
  const children = reason.getChildElements();
  const conditionElement = children.find((child) => child.getNS() === NS_JINGLE && isOneOf(REASON_CONDITIONS, child.getName()));
  const condition = (conditionElement?.getName() ?? 'general-error') as JingleReasonCondition;
  const text = reason.getChildText('text', NS_JINGLE);
  const app = children.find((child) => child.getNS() !== NS_JINGLE);
  const appNs = app?.getNS();
  const alternativeSid = condition === 'alternative-session' ? conditionElement?.getChildText('sid', NS_JINGLE)?.trim() ?? null : null;
  return parsed({
    condition,
    text: text === null ? null : capText(text, MAX_REASON_TEXT_LENGTH),
    appCondition: app && appNs ? { name: app.getName(), ns: appNs } : null,
    alternativeSid: isUsableSid(alternativeSid) ? alternativeSid : null,
  });
}

function reasonElement(reason: JingleReasonOptions, attrs: Record<string, string>): Element {
  const { condition, text, appCondition, alternativeSid } = reason;
  return xml(
    'reason', attrs,
    xml(condition, {}, ...(condition === 'alternative-session' && alternativeSid ? [xml('sid', {}, alternativeSid)] : [])),
    ...(text ? [xml('text', {}, text)] : []),
    ...(appCondition ? [xml(appCondition.name, { xmlns: appCondition.ns })] : []),
  );
}

/** A standalone `<reason xmlns='urn:xmpp:jingle:1'/>`; buildJingle writes it without the redundant xmlns. */
export function buildReason(reason: JingleReasonOptions): Element {
  return reasonElement(reason, { xmlns: NS_JINGLE });
}

/**
 * Reads a `<jingle/>`. §7.1: action and sid are REQUIRED; §7.2: "If an entity receives a value not
 * defined here, it MUST ignore the attribute and MUST return a &badrequest; error to the sender."
 */
export function parseJingle(jingle: Element): ParseResult<Jingle> {
  if (!jingle.is('jingle', NS_JINGLE)) return invalid('not a jingle element');
  const action = readAttr(jingle, 'action');
  if (action === null || !isOneOf(JINGLE_ACTIONS, action)) return invalid(action === null ? 'missing action' : `unknown action ${action}`);
  const sid = readAttr(jingle, 'sid');
  if (!isUsableSid(sid)) return invalid('missing or malformed sid');
  const contents = readContents(jingle, action);
  if (!contents.ok) return contents;
  const reasonChild = jingle.getChild('reason', NS_JINGLE);
  const reason = reasonChild ? parseReason(reasonChild) : null;
  if (reason && !reason.ok) return reason;
  return parsed({
    action, sid,
    initiator: readJidAttr(jingle, 'initiator'),
    responder: readJidAttr(jingle, 'responder'),
    contents: contents.value,
    reason: reason ? reason.value : null,
    info: jingle.getChildElements().filter((child) => child.getNS() !== NS_JINGLE),
  });
}

/** Defaults are left out, but senders stays in a content-modify (§7.3: REQUIRED there). */
function buildContent(content: JingleContentOptions, action: JingleAction): Element {
  const { disposition, senders } = content;
  return xml(
    'content',
    {
      creator: content.creator, disposition: disposition === 'session' ? undefined : disposition, name: content.name,
      senders: senders === 'both' && action !== 'content-modify' ? undefined : senders,
    },
    ...(content.description ? [content.description] : []),
    ...(content.transport ? [content.transport] : []),
  );
}

/**
 * `<jingle xmlns='urn:xmpp:jingle:1' action initiator? responder? sid>` with contents, reason and info
 * payloads in that order (the §7 schema's sequence). The description, transport and info Elements are
 * attached as given (not copied). Refuses a sid that is not an NMTOKEN.
 */
export function buildJingle(jingle: JingleOptions): Element {
  if (!isNmtoken(jingle.sid)) throw new RangeError(`Jingle sid must be an NMTOKEN: ${JSON.stringify(jingle.sid)}`);
  return xml(
    'jingle',
    { xmlns: NS_JINGLE, action: jingle.action, initiator: jingle.initiator, responder: jingle.responder, sid: jingle.sid },
    ...(jingle.contents ?? []).map((content) => buildContent(content, jingle.action)),
    ...(jingle.reason ? [reasonElement(jingle.reason, {})] : []),
    ...(jingle.info ?? []),
  );
}

/** The Jingle-specific error conditions (§9, §10). */
export type JingleErrorCondition = 'out-of-order' | 'tie-break' | 'unknown-session' | 'unsupported-info' | 'security-required';

/**
 * Each Jingle condition with the stanza error it rides on: the §10 table, with the types of the examples
 * (§6.7 unknown-session cancel, §6.8 unsupported-info modify, §7.2.16 tie-break cancel, §9
 * security-required not-acceptable/cancel). out-of-order has no example; cancel, like XEP-0047's
 * unexpected-request, since repeating the request cannot help.
 */
const JINGLE_ERRORS: Readonly<Record<JingleErrorCondition, StanzaError>> = {
  'out-of-order': stanzaError('unexpected-request', { type: 'cancel', appCondition: APP_CONDITIONS.jingleOutOfOrder }),
  'tie-break': stanzaError('conflict', { type: 'cancel', appCondition: APP_CONDITIONS.jingleTieBreak }),
  'unknown-session': stanzaError('item-not-found', { type: 'cancel', appCondition: APP_CONDITIONS.jingleUnknownSession }),
  'unsupported-info': stanzaError('feature-not-implemented', { type: 'modify', appCondition: APP_CONDITIONS.jingleUnsupportedInfo }),
  'security-required': stanzaError('not-acceptable', { type: 'cancel', appCondition: APP_CONDITIONS.jingleSecurityRequired }),
};

/** The stanza error to answer with, carrying the Jingle condition as its application-specific child. */
export function jingleError(condition: JingleErrorCondition, options: { text?: string } = {}): StanzaError {
  return { ...JINGLE_ERRORS[condition], text: options.text ?? null };
}

/**
 * The Jingle condition of a received error (from parseStanzaError), or null when it carries none: lets
 * a sender tell a tie-break (§7.2.16: the other party's simultaneous request won) from other failures.
 */
export function parseJingleErrorCondition(error: StanzaError | null): JingleErrorCondition | null {
  const app = error?.appCondition;
  if (!app || app.ns !== NS_JINGLE_ERRORS) return null;
  return Object.hasOwn(JINGLE_ERRORS, app.name) ? (app.name as JingleErrorCondition) : null;
}
