import xml, { type Element } from '@xmpp/xml';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import type { StanzaError } from '../../../xmpp/xep/stanzaErrors';
import { buildJingle, type Jingle, type JingleContent, type JingleContentOptions, type JingleReason, type JingleReasonOptions } from '../../../xmpp/xep/xep0166Jingle';
import { isFileTransferNamespace, NS_JINGLE_FT } from '../../../xmpp/xep/xep0234JingleFt';
import { NS_JINGLE_IBB } from '../../../xmpp/xep/xep0261JingleIbb';
import type { TransferXmpp } from '../../ports';
import { startSession, step } from './sessionState';
import type {
  JingleRole, JingleTimings, JingleTransport, LocalEvent, ReceivedAction, Reply, SendEffect, SentAction, SessionEffect, SessionState,
} from './sessionTypes';
import type { TerminateReason } from './terminateReasons';

/** Ferry's note in a success `<reason/>` (XEP-0166 §7.4 allows an element of another namespace): the receiver checked the hash. */
export const NS_FERRY_HASH = 'urn:ferry:transfer:hash:0';

/** How long one Jingle action may wait for its IQ answer. */
const ACTION_TIMEOUT_MS = 20_000;

/** What the session's owner (sender or receiver flow) supplies and hears. */
export interface JingleSessionHooks {
  /** The `<content/>` to put in an outgoing action that carries one (initiate, accept, replace, transport-accept/reject). */
  content(action: SentAction, transport: JingleTransport): JingleContentOptions;
  /** A transport-info or session-info payload the session understood (XEP-0260 reports, XEP-0234 checksum). */
  onInfo(action: 'session-info' | 'transport-info', element: Element): void;
  /** The peer asks to replace the transport; return whether to accept. */
  decideReplace(transport: JingleTransport, content: JingleContent | null): boolean;
  /** The session switched to `transport` (after a replace both sides agreed on); `content` is the peer's last one. */
  onSwitch(transport: JingleTransport, content: JingleContent | null): void;
  /** The responder accepted (initiator side): its content. */
  onAccepted(content: JingleContent | null): void;
  /** The session ended: the state and reason for the record, and the peer's `<reason/>` when it ended it. */
  onEnd(end: { state: 'done' | 'failed' | 'cancelled' | 'declined'; reason: string; peerReason: JingleReason | null }): void;
}

/** One Jingle session on the wire. */
export interface JingleSessionOptions {
  xmpp: TransferXmpp;
  role: JingleRole;
  sid: string;
  ownJid: string;
  peer: string;
  transport: JingleTransport;
  timings: JingleTimings;
  hooks: JingleSessionHooks;
}

/** :3 and :4 checksum/received payloads are understood as the :5 ones (older Conversations). */
function payloadOf(element: Element | undefined): ReceivedAction['payload'] {
  if (!element) return null;
  const ns = String(element.attrs.xmlns ?? '');
  return { ns: isFileTransferNamespace(ns) ? NS_JINGLE_FT : ns, name: element.name };
}

/** A transport-info's payload: the first child of `<transport/>` (which inherits its namespace), or the transport itself. */
function transportPayload(transport: Element | null): ReceivedAction['payload'] {
  if (!transport) return null;
  const child = transport.getChildElements()[0];
  return { ns: String(child?.attrs.xmlns ?? transport.attrs.xmlns ?? ''), name: child ? child.name : transport.name };
}

/**
 * Runs the pure XEP-0166 reducer (sessionState.ts) against the wire: sends the actions it asks for, arms its
 * deadlines, answers received actions with its replies, and tells the owner what happened. The owner drives
 * the local events (accept, terminate, replace) and the transports.
 */
export class JingleSession {
  private state: SessionState;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly infoQueue: Element[] = [];
  private terminateNote: { text?: string; appCondition?: { name: string; ns: string } } = {};
  private lastPeerContent: JingleContent | null = null;
  private peerReason: JingleReason | null = null;
  private isClosed = false;

  constructor(private readonly options: JingleSessionOptions) {
    const first = startSession({ role: options.role, peer: options.peer, transport: options.transport, timings: options.timings });
    this.state = first.state;
    // The responder's first step acknowledges the session-initiate: the router sends that reply itself.
    queueMicrotask(() => this.apply(first.effects));
  }

  get sid(): string { return this.options.sid; }
  get peer(): string { return this.options.peer; }
  get phase(): SessionState['phase'] { return this.state.phase; }
  get transport(): JingleTransport { return this.state.transport; }

  /** A local event (accept, replace-transport, transport-open, first-byte…). */
  dispatch(event: LocalEvent): void {
    const next = step(this.state, event);
    this.state = next.state;
    this.apply(next.effects);
  }

  /** Ends the session from this side with `reason`; `text` and a Ferry note go into the `<reason/>`. */
  terminate(reason: TerminateReason, note: { text?: string; detail?: string; isHashVerified?: boolean } = {}): void {
    this.terminateNote = {
      ...(note.text ? { text: note.text } : {}),
      ...(note.isHashVerified ? { appCondition: { name: 'hash-verified', ns: NS_FERRY_HASH } } : {}),
    };
    this.dispatch({ kind: 'terminate', reason, ...(note.detail ? { detail: note.detail } : {}) });
  }

  /** Sends a session-info or transport-info carrying `payload` (a checksum, a candidate report). */
  sendInfo(action: 'session-info' | 'transport-info', payload: Element): void {
    this.infoQueue.push(payload);
    this.dispatch({ kind: 'send-info', action });
  }

  /** A Jingle IQ-set of this session from its peer: the reply to send (result or stanza error). */
  receive(jingle: Jingle, from: string): Reply {
    const content = jingle.contents[0] ?? null;
    if (content) this.lastPeerContent = content;
    if (jingle.action === 'session-terminate') this.peerReason = jingle.reason;
    const transportNs = content?.transport ? String(content.transport.attrs.xmlns ?? '') : '';
    const event: ReceivedAction = {
      kind: 'received', from, action: jingle.action,
      reason: jingle.reason?.condition ?? null, text: jingle.reason?.text ?? null,
      ...(jingle.action === 'transport-replace' && transportNs ? { transport: transportNs === NS_JINGLE_IBB ? 'ibb' : 's5b' } : {}),
      payload: jingle.action === 'transport-info' ? transportPayload(content?.transport ?? null) : payloadOf(jingle.info[0]),
    };
    const before = this.state;
    const next = step(this.state, event);
    this.state = next.state;
    if (jingle.action === 'session-accept' && before.phase === 'pending' && next.state.phase === 'active') {
      queueMicrotask(() => this.options.hooks.onAccepted(content));
    }
    // transport-info hands the whole <transport/> on (its sid says which transport it is about).
    const deliverFrom = jingle.action === 'transport-info' ? content?.transport : jingle.info[0];
    // Effects run after the reply is on its way (the peer must see our result before what it caused).
    queueMicrotask(() => this.apply(next.effects, deliverFrom ?? undefined));
    return next.reply ?? { kind: 'result' };
  }

  /** Drops the deadlines (the record ended elsewhere, or Ferry shuts down). */
  close(): void {
    this.isClosed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private apply(effects: readonly SessionEffect[], delivered?: Element): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send': this.send(effect); break;
        case 'arm': this.arm(effect.deadline, effect.ms); break;
        case 'clear': clearTimeout(this.timers.get(effect.deadline)); this.timers.delete(effect.deadline); break;
        case 'deliver': if (delivered) this.options.hooks.onInfo(effect.action, delivered); break;
        case 'decide-replace':
          this.dispatch({ kind: this.options.hooks.decideReplace(effect.transport, this.lastPeerContent) ? 'accept-replace' : 'reject-replace' });
          break;
        case 'switch-transport': this.options.hooks.onSwitch(effect.transport, this.lastPeerContent); break;
        case 'end':
          this.close();
          this.options.hooks.onEnd({ state: effect.state, reason: effect.reason, peerReason: this.peerReason });
          break;
      }
    }
  }

  private arm(deadline: string, ms: number): void {
    clearTimeout(this.timers.get(deadline));
    if (this.isClosed) return;
    const timer = setTimeout(() => { this.timers.delete(deadline); this.dispatch({ kind: 'deadline-expired', deadline: deadline as never }); }, ms);
    timer.unref();
    this.timers.set(deadline, timer);
  }

  private send(effect: SendEffect): void {
    const { action } = effect;
    const { ownJid, peer, sid } = this.options;
    const withContent = ['session-initiate', 'session-accept', 'transport-replace', 'transport-accept', 'transport-reject'].includes(action);
    const transport = 'transport' in effect ? effect.transport : this.state.transport;
    const reason: JingleReasonOptions | null = action === 'session-terminate' && 'reason' in effect
      ? { condition: effect.reason, ...this.terminateNote } : null;
    const info = action === 'session-info' || action === 'transport-info' ? this.infoQueue.shift() : undefined;
    const contents = withContent ? [this.options.hooks.content(action, transport)]
      : action === 'transport-info' && info ? [{ ...this.options.hooks.content(action, transport), description: null, transport: info }] : [];
    const jingle = buildJingle({
      action, sid, contents, reason,
      ...(action === 'session-initiate' ? { initiator: ownJid } : {}),
      ...(action === 'session-accept' ? { responder: ownJid } : {}),
      ...(action === 'session-info' && info ? { info: [info] } : {}),
    });
    this.options.xmpp.request(xml('iq', { type: 'set', to: peer }, jingle), ACTION_TIMEOUT_MS).catch((error: unknown) => {
      const stanza: StanzaError | null = error instanceof XmppStanzaError ? error.stanzaError ?? null : null;
      if (stanza) this.dispatch({ kind: 'request-failed', action: action as SentAction, error: stanza });
      else if (action === 'session-initiate' || action === 'session-accept') {
        this.terminate('connectivity-error', { detail: `${peer} did not answer the ${action} (${(error as Error).message})` });
      }
    });
  }
}
