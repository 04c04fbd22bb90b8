/**
 * Stanza errors in one place: RFC 6120 §8.3 (https://www.rfc-editor.org/rfc/rfc6120#section-8.3),
 * the conditions the file-transfer XEPs use, and their application-specific children. Every XEP
 * parser here returns a ParseResult whose error is ready to send back as-is.
 */
import xml, { type Element } from '@xmpp/xml';

/** Namespace of the defined conditions and of `<text/>` (RFC 6120 §8.3.2). */
export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
/** XEP-0095's namespace, which also qualifies its error children (same value as NS_SI). */
const NS_SI_ERRORS = 'http://jabber.org/protocol/si';
/** XEP-0166 §10: "These condition elements are qualified by the 'urn:xmpp:jingle:errors:1' namespace". */
const NS_JINGLE_ERRORS = 'urn:xmpp:jingle:errors:1';

/** The error type attribute (RFC 6120 §8.3.2). */
export type StanzaErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

/**
 * Defined conditions (RFC 6120 §8.3.3) with the type RFC 6120 gives in its example for each; a XEP that
 * shows another type passes it explicitly.
 */
export const DEFAULT_ERROR_TYPES = {
  'bad-request': 'modify',
  conflict: 'cancel',
  'feature-not-implemented': 'cancel',
  forbidden: 'auth',
  gone: 'cancel',
  'internal-server-error': 'cancel',
  'item-not-found': 'cancel',
  'jid-malformed': 'modify',
  'not-acceptable': 'modify',
  'not-allowed': 'cancel',
  'not-authorized': 'auth',
  'policy-violation': 'modify',
  'recipient-unavailable': 'wait',
  redirect: 'modify',
  'registration-required': 'auth',
  'remote-server-not-found': 'cancel',
  'remote-server-timeout': 'wait',
  'resource-constraint': 'wait',
  'service-unavailable': 'cancel',
  'subscription-required': 'auth',
  'undefined-condition': 'cancel',
  'unexpected-request': 'wait',
} as const satisfies Record<string, StanzaErrorType>;

/** One of the defined conditions of RFC 6120 §8.3.3. */
export type StanzaErrorCondition = keyof typeof DEFAULT_ERROR_TYPES;

/** An application-specific condition element (RFC 6120 §8.3.4). */
export interface AppCondition {
  name: string;
  ns: string;
}

/** Application-specific conditions of the file-transfer XEPs. */
export const APP_CONDITIONS = {
  /** XEP-0095 §4.2: "None of the available streams are acceptable." */
  siNoValidStreams: { name: 'no-valid-streams', ns: NS_SI_ERRORS },
  /** XEP-0095 §4.2: "The profile is not understood or invalid." */
  siBadProfile: { name: 'bad-profile', ns: NS_SI_ERRORS },
  /** XEP-0166 §10: "The request cannot occur at this point in the state machine". */
  jingleOutOfOrder: { name: 'out-of-order', ns: NS_JINGLE_ERRORS },
  /** XEP-0166 §10: "rejected because it was sent while the initiator was awaiting a reply on a similar request". */
  jingleTieBreak: { name: 'tie-break', ns: NS_JINGLE_ERRORS },
  /** XEP-0166 §10: "The 'sid' attribute specifies a session that is unknown to the recipient". */
  jingleUnknownSession: { name: 'unknown-session', ns: NS_JINGLE_ERRORS },
  /** XEP-0166 §10: "The recipient does not support the informational payload of a session-info action." */
  jingleUnsupportedInfo: { name: 'unsupported-info', ns: NS_JINGLE_ERRORS },
  /** XEP-0166 §9: information sent in the clear that the other party expects over the encrypted channel. */
  jingleSecurityRequired: { name: 'security-required', ns: NS_JINGLE_ERRORS },
} as const satisfies Record<string, AppCondition>;

/** A stanza error as data. */
export interface StanzaError {
  type: StanzaErrorType;
  condition: StanzaErrorCondition;
  text: string | null;
  appCondition: AppCondition | null;
}

/** A parser's answer: the typed value, or the stanza error to reply with. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: StanzaError };

/** Builds a StanzaError, defaulting the type from the condition. */
export function stanzaError(
  condition: StanzaErrorCondition,
  options: { type?: StanzaErrorType; text?: string; appCondition?: AppCondition } = {},
): StanzaError {
  return {
    type: options.type ?? DEFAULT_ERROR_TYPES[condition],
    condition,
    text: options.text ?? null,
    appCondition: options.appCondition ?? null,
  };
}

/** A successful ParseResult. */
export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** A failed ParseResult; bad-request unless told otherwise. */
export function invalid<T>(text: string, condition: StanzaErrorCondition = 'bad-request'): ParseResult<T> {
  return { ok: false, error: stanzaError(condition, { text }) };
}

/** `<error type><condition/><text/>?<app/>?</error>` (RFC 6120 §8.3.2). */
export function buildStanzaError(error: StanzaError): Element {
  return xml(
    'error',
    { type: error.type },
    xml(error.condition, { xmlns: NS_STANZAS }),
    ...(error.text === null ? [] : [xml('text', { xmlns: NS_STANZAS }, error.text)]),
    ...(error.appCondition ? [xml(error.appCondition.name, { xmlns: error.appCondition.ns })] : []),
  );
}

function isCondition(name: string): name is StanzaErrorCondition {
  return Object.hasOwn(DEFAULT_ERROR_TYPES, name);
}

function isErrorType(value: unknown): value is StanzaErrorType {
  return value === 'auth' || value === 'cancel' || value === 'continue' || value === 'modify' || value === 'wait';
}

/**
 * Reads an `<error/>` element, or the `<error/>` child of a stanza. Unknown or missing conditions read
 * as undefined-condition (RFC 6120 §8.3.3.21); a missing or unknown type falls back to the default.
 */
export function parseStanzaError(element: Element): StanzaError | null {
  const error = element.getName() === 'error' ? element : element.getChild('error');
  if (!error) return null;
  const children = error.getChildElements();
  const defined = children.find((child) => child.getNS() === NS_STANZAS && child.getName() !== 'text');
  const definedName = defined?.getName() ?? '';
  const condition = isCondition(definedName) ? definedName : 'undefined-condition';
  const app = children.find((child) => child.getNS() !== NS_STANZAS);
  const appNs = app?.getNS();
  const typeAttr: unknown = error.attrs.type;
  return {
    type: isErrorType(typeAttr) ? typeAttr : DEFAULT_ERROR_TYPES[condition],
    condition,
    text: error.getChildText('text', NS_STANZAS),
    appCondition: app && appNs ? { name: app.getName(), ns: appNs } : null,
  };
}

/** True when the error carries this application-specific condition. */
export function hasAppCondition(error: StanzaError, condition: AppCondition): boolean {
  return error.appCondition?.name === condition.name && error.appCondition.ns === condition.ns;
}
