import { randomBytes } from 'node:crypto';
import type { Element } from '@xmpp/xml';
import { FALLBACK_TO_IBB_DETAIL, type HashState } from '../../../../shared/model/transfer';
import type { JingleContent, JingleReason } from '../../../xmpp/xep/xep0166Jingle';
import { buildChecksum, buildFileDescription, parseFileDescription } from '../../../xmpp/xep/xep0234JingleFt';
import { NS_JINGLE_IBB, buildIbbTransport, parseIbbTransport } from '../../../xmpp/xep/xep0261JingleIbb';
import { NS_JINGLE_S5B, parseS5bTransport } from '../../../xmpp/xep/xep0260JingleS5b';
import { hexToBase64 } from '../../../xmpp/xep/xep0300Hashes';
import { sha256BeforeOffer } from '../../offerHash';
import { pumpFile } from '../../streams/filePump';
import { openIbbSender } from '../../streams/ibbSession';
import type { OpenedTransport } from '../../streams/openedTransport';
import type { MethodSendContext } from '../types';
import { checkAnsweredBlockSize } from './ibbNegotiation';
import { JingleS5b, type JingleS5bOptions } from './jingleS5b';
import { JingleSession, NS_FERRY_HASH, type JingleSessionHooks } from './jingleSession';
import type { JingleTimings, JingleTransport } from './sessionTypes';

/** The one content of a Ferry file offer. */
export const CONTENT_NAME = 'a-file-offer';

/** After the last byte: how long the receiver may take to verify and terminate before we terminate ourselves. */
const TERMINATE_WAIT_MS = 30_000;

type SessionEnd = Parameters<JingleSessionHooks['onEnd']>[0];

/** Options of one outgoing Jingle file transfer. */
export interface JingleSendOptions extends MethodSendContext {
  sid: string;
  jingleTimings: JingleTimings;
  /** Registers the session with the Jingle router (by sid and peer); returns dispose. */
  register(session: JingleSession): () => void;
  /** The session, once created, for the method's cancel. */
  onSession(session: JingleSession): void;
}

/** Events of the session the flow waits for. */
class Waits {
  accepted = deferred<JingleContent | null>();
  switched = deferred<JingleContent | null>();
  ended = deferred<SessionEnd>();
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const newSid = (): string => randomBytes(9).toString('hex');

/**
 * Sends one file with XEP-0234 as the initiator: session-initiate with the file (and its sha-256 when it can be
 * hashed first), S5B candidates from both sides (XEP-0260) or IBB (XEP-0261), transport-replace to IBB when
 * every candidate failed, the file, a checksum session-info when the hash was not in the offer, and the end
 * the receiver reports. Ends the record in every case.
 */
export async function runJingleSend(outer: JingleSendOptions): Promise<void> {
  const { record } = outer;
  // Aborted by the service or the method (cancel), or when the session ended early (the peer cancelled).
  const local = new AbortController();
  outer.signal.addEventListener('abort', () => local.abort(), { once: true });
  const options = { ...outer, signal: local.signal };
  record.setState('negotiating');
  const sha256 = await sha256BeforeOffer(options.path, record.file.size);
  const waits = new Waits();
  const initial: JingleTransport = options.preference === 'ibb' ? 'ibb' : 's5b';
  let ibb = { sid: newSid(), blockSize: options.blockSize };
  const log = (entry: Parameters<JingleS5bOptions['log']>[0]): void => record.log({ method: 'jingle', ...entry });
  let session: JingleSession | null = null;
  const s5b = initial === 's5b' ? new JingleS5b({
    xmpp: options.xmpp, role: 'initiator', receivesFile: false, sid: newSid(), ownJid: options.ownJid, peerJid: options.target, sources: options.sources,
    preference: options.preference, timings: options.timings, signal: options.signal, log,
    sendInfo: (transport) => session?.sendInfo('transport-info', transport),
  }) : null;
  const ourS5b = s5b ? await s5b.prepare() : null;
  const description = buildFileDescription({
    name: record.file.name, size: record.file.size, mediaType: record.file.mediaType, date: record.file.date,
    description: record.file.description, hashes: sha256 ? [{ algo: 'sha-256', base64: hexToBase64(sha256) }] : [],
    hashesUsed: sha256 ? [] : ['sha-256'], range: { offset: 0, length: null, hashes: [] },
  });
  if (options.thumbnail) description.getChild('file')?.append(options.thumbnail);
  session = new JingleSession({
    xmpp: options.xmpp, role: 'initiator', sid: options.sid, ownJid: options.ownJid, peer: options.target,
    transport: initial, timings: options.jingleTimings,
    hooks: {
      content: (action, transport) => ({
        creator: 'initiator', name: CONTENT_NAME, senders: 'initiator',
        description: action === 'session-initiate' ? description : null,
        transport: transport === 's5b' && ourS5b ? ourS5b : buildIbbTransport({ sid: ibb.sid, blockSize: ibb.blockSize, stanza: 'iq' }),
      }),
      onInfo: (action, element) => { if (action === 'transport-info') onTransportInfo(s5b, element); },
      // A responder's replace to IBB is accepted (it wins only when ours was not sent; XEP-0166 §7.2.16).
      decideReplace: (transport, content) => {
        const offered = content?.transport ? parseIbbTransport(content.transport) : null;
        if (transport !== 'ibb' || !offered?.ok) return false;
        ibb = { sid: offered.value.sid, blockSize: Math.min(offered.value.blockSize, options.blockSize) };
        return true;
      },
      onSwitch: (_transport, content) => waits.switched.resolve(content),
      onAccepted: (content) => waits.accepted.resolve(content),
      onEnd: (end) => {
        waits.ended.resolve(end);
        if (end.state === 'done') return;
        record.end(end.state, { reason: end.reason, hash: hashStateOf(end.peerReason) });
        local.abort();
      },
    },
  });
  options.onSession(session);
  const unregister = options.register(session);
  try {
    await sendFile({ ...options, session, s5b, waits, sha256, ibbParams: () => ibb, setIbbParams: (next) => { ibb = next; } });
  } catch (error) {
    const reason = options.signal.aborted ? 'cancelled' : (error as Error).message;
    if (record.end(options.signal.aborted ? 'cancelled' : 'failed', { reason }) && session.phase !== 'ended') {
      session.terminate('failed-transport', { text: reason });
    }
  } finally {
    s5b?.dispose();
    session.close();
    // Late stanzas of this session still find it for a moment (our terminate's answer, a crossed terminate).
    setTimeout(unregister, 5_000).unref();
  }
}

function onTransportInfo(s5b: JingleS5b | null, element: Element): void {
  if (String(element.attrs.xmlns ?? '') !== NS_JINGLE_S5B || !s5b) return;
  const info = parseS5bTransport(element);
  if (info.ok) s5b.onInfo(info.value);
}

interface FlowState extends JingleSendOptions {
  session: JingleSession;
  s5b: JingleS5b | null;
  waits: Waits;
  sha256: string | null;
  ibbParams(): { sid: string; blockSize: number };
  setIbbParams(next: { sid: string; blockSize: number }): void;
}

/** Resolves with the value, or throws the session's end as the transfer's end once the session is over. */
async function orEnd<T>(flow: FlowState, promise: Promise<T>): Promise<T> {
  const ended = await Promise.race([promise.then((value) => ({ value })), flow.waits.ended.promise.then((end) => ({ end }))]);
  if ('end' in ended) throw new SessionEnded(ended.end);
  return ended.value;
}

class SessionEnded extends Error {
  constructor(readonly end: SessionEnd) { super(end.reason); }
}

async function sendFile(flow: FlowState): Promise<void> {
  const { record } = flow;
  try {
    const accepted = await orEnd(flow, flow.waits.accepted.promise);
    const offset = requestedOffset(accepted, record.file.size);
    if (offset > 0) record.setResumedFrom(offset);
    record.setState('connecting');
    const opened = await openTransport(flow, accepted);
    flow.session.dispatch({ kind: 'transport-open' });
    flow.session.dispatch({ kind: 'first-byte' });
    record.log({ method: 'jingle', transport: opened.transport, detail: opened.detail, outcome: 'succeeded', reason: '' });
    record.setMethod('jingle', opened.transport);
    const sha256 = await pumpFile({
      record, method: 'jingle', opened, path: flow.path, offset, length: record.file.size - offset, ibbStanza: 'iq',
      stallTimeoutMs: flow.timings.stallTimeoutMs, signal: flow.signal,
      onSent: (digest) => {
        // XEP-0234 §8.2: the hash after the data, when it was not in the offer (or only a range was sent).
        if (flow.sha256 && offset === 0) return;
        const range = offset > 0 ? { offset, length: record.file.size - offset, hashes: [] } : null;
        flow.session.sendInfo('session-info', buildChecksum({
          creator: 'initiator', name: CONTENT_NAME, file: { hashes: [{ algo: 'sha-256', base64: hexToBase64(digest) }], range },
        }));
      },
    });
    const end = await Promise.race([flow.waits.ended.promise, delay(TERMINATE_WAIT_MS).then(() => null)]);
    if (end === null) {
      flow.session.terminate('success');
      record.log({ method: 'jingle', transport: opened.transport, outcome: 'succeeded', reason: '', detail: `sent: the receiver did not end the session within ${TERMINATE_WAIT_MS / 1000} s` });
      record.end('done', { sha256, hash: 'none' });
      return;
    }
    endFromSession(flow, end, sha256);
  } catch (error) {
    if (error instanceof SessionEnded) { endFromSession(flow, error.end, null); return; }
    throw error;
  }
}

/** The record's end from the session's: the receiver's verdict on the hash rides on its success reason. */
function endFromSession(flow: FlowState, end: SessionEnd, sha256: string | null): void {
  const hash = hashStateOf(end.peerReason);
  if (end.state === 'done' && sha256 === null) {
    flow.record.end('failed', { reason: `${flow.target} ended the session before the file was sent`, hash });
    return;
  }
  flow.record.end(end.state, { ...(end.state === 'done' ? {} : { reason: end.reason }), ...(sha256 ? { sha256 } : {}), hash });
}

function hashStateOf(reason: JingleReason | null): HashState {
  if (reason?.condition === 'media-error') return 'mismatch';
  return reason?.condition === 'success' && reason.appCondition?.ns === NS_FERRY_HASH ? 'verified' : 'none';
}

/** A `<range offset/>` in the responder's description asks for the rest of the file from there (XEP-0234 §7). */
function requestedOffset(accepted: JingleContent | null, size: number): number {
  const parsed = accepted?.description ? parseFileDescription(accepted.description) : null;
  const offset = parsed?.ok ? parsed.value.file.range?.offset ?? 0 : 0;
  return offset > 0 && offset < size ? offset : 0;
}

async function openTransport(flow: FlowState, accepted: JingleContent | null): Promise<OpenedTransport> {
  const ns = accepted?.transport ? String(accepted.transport.attrs.xmlns ?? '') : '';
  if (flow.s5b && ns === NS_JINGLE_S5B) {
    const theirs = parseS5bTransport(accepted!.transport!);
    if (theirs.ok && theirs.value.kind === 'candidates') flow.s5b.connect(theirs.value);
    else flow.s5b.connect({ kind: 'candidates', sid: '', dstAddr: null, mode: 'tcp', candidates: [] });
    // The responder may replace the transport itself (XEP-0166 §7.2.15); once we accepted, S5B is over.
    const outcome = await orEnd(flow, Promise.race([
      flow.s5b.result.then((stream) => ({ stream })),
      flow.waits.switched.promise.then((content) => ({ switched: content })),
    ]));
    if ('switched' in outcome) {
      flow.s5b.dispose();
      flow.record.log({ method: 'jingle', transport: 'ibb', outcome: 'started', reason: '', detail: 'SOCKS5 given up → in-band (the receiver replaced the transport)' });
      return await openIbb(flow, outcome.switched);
    }
    if (outcome.stream) return outcome.stream;
    // XEP-0260 §3: every candidate failed on both sides; the initiator replaces the transport with IBB,
    // unless the user asked for SOCKS5 only (--transport s5b…), as SI then offers no IBB either.
    if (flow.preference !== 'auto') throw new Error(`every SOCKS5 candidate failed, and in-band was not allowed (transport ${flow.preference})`);
    const started = Date.now();
    flow.setIbbParams({ sid: newSid(), blockSize: flow.blockSize });
    flow.session.dispatch({ kind: 'replace-transport', transport: 'ibb' });
    const content = await orEnd(flow, flow.waits.switched.promise);
    flow.record.log({ method: 'jingle', transport: 'ibb', outcome: 'started', reason: '', detail: `${FALLBACK_TO_IBB_DETAIL} (transport-replace answered in ${Date.now() - started} ms)` });
    return await openIbb(flow, content);
  }
  if (ns === NS_JINGLE_IBB) return await openIbb(flow, accepted);
  throw new Error(`the peer answered with a transport Ferry did not offer (${ns || 'none'})`);
}

async function openIbb(flow: FlowState, content: JingleContent | null): Promise<OpenedTransport> {
  const answered = content?.transport ? parseIbbTransport(content.transport) : null;
  const offered = flow.ibbParams();
  const check = checkAnsweredBlockSize({ offered: offered.blockSize, answered: answered?.ok ? answered.value.blockSize : null });
  if (!check.ok) throw new Error(`the peer answered block-size ${answered?.ok ? answered.value.blockSize : '?'} for ${offered.blockSize} offered (${check.problem})`);
  // XEP-0261 §2.2: "the initiator now MUST also send the <open/> element, with the same 'block-size' and 'sid'".
  const stream = await openIbbSender({
    xmpp: flow.xmpp, registry: flow.ibb, sid: offered.sid, target: flow.target,
    blockSize: check.blockSize, stanza: 'iq', ackTimeoutMs: flow.timings.ibbAckTimeoutMs, signal: flow.signal,
  });
  return { stream, transport: 'ibb', detail: `IBB (XEP-0261) in <iq/>, block-size ${check.blockSize}` };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref(); });
}
