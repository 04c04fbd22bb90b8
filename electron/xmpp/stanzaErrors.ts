import type { Element } from '@xmpp/xml';
import { FerryError, type WireErrorCode } from '../../shared/ipc/wireError';
import {
  buildStanzaError, parseStanzaError as parseStanzaErrorValue, stanzaError, type StanzaError, type StanzaErrorCondition,
} from './xep/stanzaErrors';

export { NS_STANZAS } from './xep/stanzaErrors';

/**
 * Where stanza error conditions meet Ferry's wire codes. The conditions, their RFC 6120 §8.3.3 types and
 * the XML live in one place, xep/stanzaErrors.ts; this adds only the mapping to WireErrorCode.
 */
const WIRE_CODES: Partial<Record<StanzaErrorCondition, WireErrorCode>> = {
  'bad-request': 'bad-request',
  'not-acceptable': 'bad-request',
  'item-not-found': 'not-found',
  'service-unavailable': 'not-found',
  'feature-not-implemented': 'not-found',
  'recipient-unavailable': 'not-found',
  'remote-server-not-found': 'not-found',
  forbidden: 'not-authorized',
  'not-authorized': 'not-authorized',
  'not-allowed': 'not-authorized',
  'remote-server-timeout': 'timeout',
};

/**
 * A stanza-level error: thrown by an IQ handler to answer with that error (application conditions
 * included), and thrown by XmppSession.request when the peer answered with `<iq type='error'/>`.
 */
export class XmppStanzaError extends FerryError {
  readonly stanzaError: StanzaError;
  /** The `<error/>` as received, for application conditions a caller reads itself (XEP-0363 §5); null when built here. */
  element: Element | null = null;

  constructor(error: StanzaError | StanzaErrorCondition, text?: string) {
    const value = typeof error === 'string' ? stanzaError(error, text ? { text } : {}) : error;
    super(WIRE_CODES[value.condition] ?? 'internal', value.text ? `${value.condition}: ${value.text}` : value.condition);
    this.name = 'XmppStanzaError';
    this.stanzaError = value;
  }

  get condition(): StanzaErrorCondition {
    return this.stanzaError.condition;
  }
}

/** The `<error/>` for a thrown error; anything but an XmppStanzaError is internal-server-error. */
export function stanzaErrorElement(error: unknown): Element {
  const value = error instanceof XmppStanzaError ? error.stanzaError : stanzaError('internal-server-error');
  return buildStanzaError(value);
}

/** Reads the `<error/>` child of an error reply (or the error element) into an XmppStanzaError. */
export function parseStanzaError(errorElement: Element | undefined): XmppStanzaError {
  const value = errorElement ? parseStanzaErrorValue(errorElement) : null;
  const error = new XmppStanzaError(value ?? stanzaError('undefined-condition'));
  error.element = errorElement ?? null;
  return error;
}
