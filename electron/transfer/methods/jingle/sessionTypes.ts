/**
 * Data of one Jingle file-transfer session with one content, as the pure reducer in sessionState.ts sees it.
 * XEP-0166 Jingle 1.1.2 (https://xmpp.org/extensions/xep-0166.html), XEP-0260 Jingle SOCKS5 Bytestreams
 * 1.0.3, XEP-0261 Jingle In-Band Bytestreams 1.0. No I/O and no timers: deadlines are data the caller arms.
 */
import type { StanzaError } from '../../../xmpp/xep/stanzaErrors';
import type { TerminateReason } from './terminateReasons';

/** Which side of the session we are (XEP-0166 §4: initiator sends session-initiate, responder answers it). */
export type JingleRole = 'initiator' | 'responder';

/** The overall session states of XEP-0166 §5.1. */
export type SessionPhase = 'pending' | 'active' | 'ended';

/** The streaming transports Ferry speaks inside Jingle (XEP-0260, XEP-0261). */
export type JingleTransport = 's5b' | 'ibb';

/** The transport-replace sub-state (XEP-0166 §7.2.12, §7.2.14, §7.2.15). */
export type ReplaceState =
  | { kind: 'none' }
  | { kind: 'replace-sent'; transport: JingleTransport }
  | { kind: 'replace-received'; transport: JingleTransport };

/** Where an active session stands with its bytes: negotiating a transport, connected, or moving data. */
export type TransportStage = 'negotiating' | 'awaiting-first-byte' | 'transferring';

/**
 * The deadlines of a session, one per stage: the answer to the offer (initiator: session-accept; responder:
 * the user's decision), the transport negotiation, the peer's transport-accept after our transport-replace,
 * and the first byte once the transport is open.
 */
export type DeadlineName = 'session-accept' | 'transport-negotiation' | 'transport-accept' | 'first-byte';

/** How long each deadline runs. */
export interface JingleTimings {
  sessionAcceptMs: number;
  transportNegotiationMs: number;
  transportAcceptMs: number;
  firstByteMs: number;
}

/** Defaults in line with TransferTimings (offer 10 min; S5B answer 20 s; stream wait 60 s). */
export const DEFAULT_JINGLE_TIMINGS: JingleTimings = {
  sessionAcceptMs: 10 * 60_000,
  transportNegotiationMs: 30_000,
  transportAcceptMs: 20_000,
  firstByteMs: 60_000,
};

/** How a transfer ended, as the transfer model spells it (shared/model/transfer.ts). */
export type EndState = 'done' | 'failed' | 'cancelled' | 'declined';

/** One session's state. Once `phase` is 'ended' nothing changes any more. */
export interface SessionState {
  role: JingleRole;
  /** The peer's full JID, exactly as in the stanzas exchanged. */
  peer: string;
  phase: SessionPhase;
  replace: ReplaceState;
  /** The transport currently in use (the one of session-initiate, or the one a replace switched to). */
  transport: JingleTransport;
  stage: TransportStage;
  /** Deadlines the caller has been told to arm and not yet to clear. */
  armed: readonly DeadlineName[];
  timings: JingleTimings;
  /** Set once, when the session ends. */
  end: { state: EndState; reason: string } | null;
}

/** An informational payload: the qualified name of its element (XEP-0166 §6.8). */
export interface InfoPayload {
  ns: string;
  name: string;
}

/**
 * A Jingle IQ-set received for this session. `action` is the raw attribute (unknown values are answered
 * bad-request). `payload`: for session-info / description-info the child of `<jingle/>`, for transport-info the
 * first child of `<transport/>` (or the `<transport/>` itself when it is empty); null when there is none.
 */
export interface ReceivedAction {
  kind: 'received';
  from: string;
  action: string;
  /** The `<reason/>` condition of session-terminate / content-remove, as received (null when absent). */
  reason?: string | null;
  /** The `<reason/><text/>`, when given. */
  text?: string | null;
  /** The transport of a transport-replace. */
  transport?: JingleTransport;
  payload?: InfoPayload | null;
}

/** Actions we send that can get an error reply the caller reports back (request-failed). */
export type SentAction =
  | 'session-initiate' | 'session-accept' | 'session-terminate' | 'session-info' | 'transport-info'
  | 'transport-replace' | 'transport-accept' | 'transport-reject' | 'content-reject';

/** What the local side asks for, or what its own machinery reports. */
export type LocalEvent =
  | { kind: 'accept' }
  | { kind: 'terminate'; reason: TerminateReason; detail?: string }
  | { kind: 'replace-transport'; transport: JingleTransport }
  | { kind: 'accept-replace' }
  | { kind: 'reject-replace' }
  | { kind: 'send-info'; action: 'session-info' | 'transport-info' }
  | { kind: 'transport-open' }
  | { kind: 'first-byte' }
  | { kind: 'deadline-expired'; deadline: DeadlineName }
  | { kind: 'request-failed'; action: SentAction; error: StanzaError };

/** Every input of the reducer. */
export type SessionEvent = ReceivedAction | LocalEvent;

/** A Jingle action the caller must send; the caller fills in the content, candidates and ids. */
export type SendEffect =
  | { kind: 'send'; action: 'session-terminate'; reason: TerminateReason }
  | { kind: 'send'; action: 'transport-replace' | 'transport-accept'; transport: JingleTransport }
  | { kind: 'send'; action: 'session-initiate' | 'session-accept' | 'transport-reject' | 'content-reject' | 'session-info' | 'transport-info' };

/** What the caller must do after a step, in order. */
export type SessionEffect =
  | SendEffect
  /** Start (or restart) the named deadline; when it fires, step with deadline-expired. */
  | { kind: 'arm'; deadline: DeadlineName; ms: number }
  | { kind: 'clear'; deadline: DeadlineName }
  /** Hand an understood informational payload on (XEP-0234 checksum/received; XEP-0260 candidate reports). */
  | { kind: 'deliver'; action: 'session-info' | 'transport-info'; payload: InfoPayload }
  /** The peer proposed this transport; answer with accept-replace or reject-replace. */
  | { kind: 'decide-replace'; transport: JingleTransport }
  /** Drop the old transport's attempts and negotiate this one. */
  | { kind: 'switch-transport'; transport: JingleTransport }
  /** End the transfer record with this state and plain-language reason. */
  | { kind: 'end'; state: EndState; reason: string };

/** The IQ answer to a received action: a result, or the stanza error to send back as-is. */
export type Reply = { kind: 'result' } | { kind: 'error'; error: StanzaError };

/** The reducer's output. `reply` is set for every received action and null for every local event. */
export interface Step {
  state: SessionState;
  effects: readonly SessionEffect[];
  reply: Reply | null;
}
