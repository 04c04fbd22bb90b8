/**
 * Jingle `<reason/>` conditions (XEP-0166 1.1.2 §7.4, https://xmpp.org/extensions/xep-0166.html#def-reason)
 * mapped to how a Ferry transfer ends, with a plain-language reason both sides word alike: the side that
 * terminates reads "cancelled", the other "cancelled by <peer>"; the condition itself names the same fact.
 */
import type { EndState } from './sessionTypes';

/** The defined conditions of XEP-0166 §7.4. */
export const TERMINATE_REASONS = [
  'alternative-session', 'busy', 'cancel', 'connectivity-error', 'decline', 'expired', 'failed-application',
  'failed-transport', 'general-error', 'gone', 'incompatible-parameters', 'media-error', 'security-error',
  'success', 'timeout', 'unsupported-applications', 'unsupported-transports',
] as const;

/** One defined `<reason/>` condition. */
export type TerminateReason = (typeof TERMINATE_REASONS)[number];

/** Who sent the session-terminate (or content-remove) that ended the session. */
export type EndedBy = 'local' | 'peer';

interface Outcome {
  state: EndState;
  phrase: string;
  /** The peer's own choice: reads "<phrase> by <peer>" when received; other conditions read "(reported by <peer>)". */
  isPeersChoice?: boolean;
}

const OUTCOMES: Record<TerminateReason, Outcome> = {
  success: { state: 'done', phrase: 'completed' },
  decline: { state: 'declined', phrase: 'declined', isPeersChoice: true },
  busy: { state: 'declined', phrase: 'declined (busy)', isPeersChoice: true },
  cancel: { state: 'cancelled', phrase: 'cancelled', isPeersChoice: true },
  'connectivity-error': { state: 'failed', phrase: 'no connection could be made between the two sides' },
  'failed-transport': { state: 'failed', phrase: 'every way of moving the data failed' },
  'failed-application': { state: 'failed', phrase: 'the file could not be read or written' },
  'media-error': { state: 'failed', phrase: 'the file data could not be processed' },
  timeout: { state: 'failed', phrase: 'timed out waiting for an answer' },
  'general-error': { state: 'failed', phrase: 'an error ended the transfer' },
  gone: { state: 'failed', phrase: 'went offline' },
  expired: { state: 'failed', phrase: 'the session time limit ran out' },
  'alternative-session': { state: 'failed', phrase: 'replaced by another session' },
  'incompatible-parameters': { state: 'failed', phrase: 'the offer asked for something not supported' },
  'security-error': { state: 'failed', phrase: 'refused by a security policy' },
  'unsupported-applications': { state: 'failed', phrase: 'Jingle file transfer is not supported' },
  'unsupported-transports': { state: 'failed', phrase: 'none of the offered transports is supported' },
};

/** Longest peer-supplied `<text/>` quoted in a reason. */
const MAX_PEER_TEXT = 200;

/** True for the defined conditions of XEP-0166 §7.4. */
export function isTerminateReason(value: string): value is TerminateReason {
  return (TERMINATE_REASONS as readonly string[]).includes(value);
}

/** Control characters out, length capped: the peer's `<text/>` is untrusted. */
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_PEER_TEXT ? `${flat.slice(0, MAX_PEER_TEXT)}…` : flat;
}

function outcomeOf(reason: string | null): Outcome {
  if (reason === null) return { state: 'failed', phrase: 'ended without a reason given' };
  if (isTerminateReason(reason)) return OUTCOMES[reason];
  return { state: 'failed', phrase: `ended (${cleanText(reason)})` };
}

/**
 * The end state and reason of a session ended by a `<reason/>` condition (XEP-0166 §6.7, §7.4): success → done,
 * decline/busy → declined, cancel → cancelled, every other condition → failed. A received condition that is not
 * defined, or none at all (the reason is only a SHOULD, §6.7), ends it failed and says so. `detail` replaces the
 * condition's phrase (e.g. which deadline ran out); the peer's `<text/>` is quoted after it.
 */
export function endOfSession(options: {
  reason: string | null;
  by: EndedBy;
  peer: string;
  text?: string | null;
  detail?: string;
}): { state: EndState; reason: string } {
  const outcome = outcomeOf(options.reason);
  const phrase = options.detail ?? outcome.phrase;
  let text = phrase;
  if (options.by === 'peer' && outcome.state !== 'done') {
    text = outcome.isPeersChoice ? `${phrase} by ${options.peer}` : `${phrase} (reported by ${options.peer})`;
  }
  const said = options.text ? cleanText(options.text) : '';
  return { state: outcome.state, reason: said ? `${text}: "${said}"` : text };
}
