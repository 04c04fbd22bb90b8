import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { FerryError, type WireErrorCode } from '../../shared/ipc/wireError';

/** RFC 6120 §8.3.3 stanza error namespace. */
export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

type ErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

/** The one place where stanza error conditions meet Ferry's wire codes (STYLE.md) and their RFC 6120 §8.3.3 types. */
const CONDITIONS: Record<string, { type: ErrorType; code: WireErrorCode }> = {
  'bad-request': { type: 'modify', code: 'bad-request' },
  'not-acceptable': { type: 'modify', code: 'bad-request' },
  'item-not-found': { type: 'cancel', code: 'not-found' },
  'service-unavailable': { type: 'cancel', code: 'not-found' },
  'feature-not-implemented': { type: 'cancel', code: 'not-found' },
  'recipient-unavailable': { type: 'wait', code: 'not-found' },
  'remote-server-not-found': { type: 'cancel', code: 'not-found' },
  forbidden: { type: 'auth', code: 'not-authorized' },
  'not-authorized': { type: 'auth', code: 'not-authorized' },
  'not-allowed': { type: 'cancel', code: 'not-authorized' },
  'remote-server-timeout': { type: 'wait', code: 'timeout' },
  'internal-server-error': { type: 'cancel', code: 'internal' },
};

/**
 * A stanza-level error: thrown by an IQ handler to answer with that condition, and thrown by
 * XmppSession.request when the peer answered with `<iq type='error'/>`.
 */
export class XmppStanzaError extends FerryError {
  readonly errorType: string;

  constructor(readonly condition: string, text = '', errorType?: string) {
    const known = CONDITIONS[condition];
    super(known?.code ?? 'internal', text ? `${condition}: ${text}` : condition);
    this.name = 'XmppStanzaError';
    this.errorType = errorType ?? known?.type ?? 'cancel';
  }
}

/** `<error type=…><condition xmlns=…stanzas/></error>` for a thrown error; anything else is internal-server-error. */
export function stanzaErrorElement(error: unknown): Element {
  const stanzaError = error instanceof XmppStanzaError ? error : new XmppStanzaError('internal-server-error');
  return xml('error', { type: stanzaError.errorType }, xml(stanzaError.condition, { xmlns: NS_STANZAS }));
}

/** Reads an `<error/>` child of an error reply into an XmppStanzaError. */
export function parseStanzaError(errorElement: Element | undefined): XmppStanzaError {
  const condition = errorElement?.getChildElements().find((c) => c.attrs.xmlns === NS_STANZAS && c.name !== 'text');
  const text = errorElement?.getChildText('text', NS_STANZAS) ?? '';
  return new XmppStanzaError(condition?.name ?? 'undefined-condition', text, errorElement?.attrs.type);
}
