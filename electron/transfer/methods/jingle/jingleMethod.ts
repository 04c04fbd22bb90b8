import { randomBytes } from 'node:crypto';
import xml from '@xmpp/xml';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { stanzaError } from '../../../xmpp/xep/stanzaErrors';
import { buildJingle, NS_JINGLE, parseJingle, type Jingle, type JingleReasonCondition } from '../../../xmpp/xep/xep0166Jingle';
import { isFileTransferNamespace, NS_JINGLE_FT, parseFileDescription } from '../../../xmpp/xep/xep0234JingleFt';
import { NS_JINGLE_S5B } from '../../../xmpp/xep/xep0260JingleS5b';
import { NS_JINGLE_IBB } from '../../../xmpp/xep/xep0261JingleIbb';
import { base64ToHex, NS_HASHES, strongestVerifiableHash } from '../../../xmpp/xep/xep0300Hashes';
import { readFileRequest } from '../../../xmpp/xep/xep0234FileRequest';
import type { TransferTimings, TransferXmpp } from '../../ports';
import type { MethodEnvironment, MethodSendContext, OutgoingHandle, TransferMethod } from '../types';
import { IncomingJingleTransfer } from './jingleReceiver';
import { runJingleSend } from './jingleSender';
import type { JingleSession } from './jingleSession';
import { answerFileRequest } from './fileRequestAnswer';
import { requestFile, type RoutedSession } from './fileRequester';
import { replyWithoutSession } from './sessionReplies';
import { DEFAULT_JINGLE_TIMINGS, type JingleTimings } from './sessionTypes';

/** The features Ferry advertises for Jingle file transfer (XEP-0234 §10, XEP-0260 §6, XEP-0261 §6, XEP-0300 §6). */
export const JINGLE_FEATURES = [
  NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_S5B, NS_JINGLE_IBB, NS_HASHES, 'urn:xmpp:hash-function-text-names:sha-256',
] as const;

/** The session deadlines from the transfer timings, so one set of tunables bounds both methods. */
export function jingleTimingsFrom(timings: TransferTimings): JingleTimings {
  return {
    sessionAcceptMs: timings.offerTimeoutMs,
    transportNegotiationMs: timings.s5bResultTimeoutMs + 10_000,
    transportAcceptMs: timings.s5bResultTimeoutMs,
    firstByteMs: timings.streamWaitMs,
  };
}

/**
 * XEP-0166/0234 Jingle file transfer as one entry of the method table: what Conversations, Dino, Psi and
 * Gajim speak. Its router owns the `<jingle/>` IQs and finds each session by (sid, peer full JID).
 */
export function createJingleMethod(options: { timings?: Partial<JingleTimings> } = {}): TransferMethod {
  const sessions = new Map<string, RoutedSession>();
  const jingleTimings = { ...DEFAULT_JINGLE_TIMINGS, ...options.timings };
  const register = (session: RoutedSession): () => void => {
    const key = `${session.sid} ${session.peer}`;
    sessions.set(key, session);
    return () => { if (sessions.get(key) === session) sessions.delete(key); };
  };
  // The sid of each running offer by (target, path): a file request's answer names the session offering it anew.
  const offerSids = new Map<string, string>();
  const offerKey = (target: string, path: string): string => `${target}\n${path}`;

  return {
    name: 'jingle',
    priority: 20,
    features: JINGLE_FEATURES,
    canSend: (features) => features.has(NS_JINGLE_FT) && (features.has(NS_JINGLE_S5B) || features.has(NS_JINGLE_IBB)),
    describe: (features) => `the peer advertises XEP-0234 Jingle file transfer (${NS_JINGLE_FT}) over ${
      [features.has(NS_JINGLE_S5B) ? 'SOCKS5' : null, features.has(NS_JINGLE_IBB) ? 'IBB' : null].filter(Boolean).join(' and ')}`,
    send(ctx: MethodSendContext): OutgoingHandle {
      const abort = new AbortController();
      ctx.signal.addEventListener('abort', () => abort.abort(), { once: true });
      let session: JingleSession | null = null;
      const sid = randomBytes(12).toString('hex');
      const key = offerKey(ctx.target, ctx.path);
      offerSids.set(key, sid);
      const done = runJingleSend({
        ...ctx, signal: abort.signal, sid, jingleTimings, register,
        onSession: (s) => { session = s; },
      }).finally(() => { if (offerSids.get(key) === sid) offerSids.delete(key); });
      return {
        done,
        cancelByUser() {
          if (!ctx.record.end('cancelled', { reason: 'cancelled' })) return;
          (session as JingleSession | null)?.terminate('cancel');
          abort.abort();
        },
      };
    },
    register(env) {
      return env.xmpp.handleIq('set', NS_JINGLE, 'jingle', ({ element, from }) => {
        const parsed = parseJingle(element);
        if (!parsed.ok) throw new XmppStanzaError(parsed.error);
        const jingle = parsed.value;
        const session = sessions.get(`${jingle.sid} ${from}`);
        if (!session) {
          const reply = replyWithoutSession(jingle.action);
          if (reply?.kind === 'error') throw new XmppStanzaError(reply.error);
          const request = readFileRequest(jingle);
          if (request && !request.ok) throw new XmppStanzaError(request.error);
          if (request) {
            answerFileRequest({ xmpp: env.xmpp, host: env.host, sid: jingle.sid, from, selector: request.value, offeredSid: (target, path) => offerSids.get(offerKey(target, path)) ?? null });
          } else onInitiate(env, jingle, from, { register, jingleTimings });
          return undefined;
        }
        const reply = session.receive(jingle, from);
        if (reply.kind === 'error') throw new XmppStanzaError(reply.error);
        return undefined;
      });
    },
    requestFile: (ctx) => requestFile({ ...ctx, register }),
  };
}

/**
 * A new session-initiate: a file offer becomes an incoming transfer (the service applies its limits and
 * policy); anything else is acknowledged and terminated with the reason XEP-0166 §6.3.2 / XEP-0234 give.
 */
function onInitiate(env: MethodEnvironment, jingle: Jingle, from: string, methods: { register(s: JingleSession): () => void; jingleTimings: JingleTimings }): void {
  const content = jingle.contents[0];
  const description = content?.description && isFileTransferNamespace(String(content.description.attrs.xmlns ?? '')) ? content.description : null;
  const transportNs = String(content?.transport?.attrs.xmlns ?? '');
  if (!content || !description) return void refuseLater(env.xmpp, jingle, from, 'unsupported-applications');
  if (![NS_JINGLE_S5B, NS_JINGLE_IBB].includes(transportNs)) return void refuseLater(env.xmpp, jingle, from, 'unsupported-transports');
  // File requests went to answerFileRequest; 'both' and 'none' are "undefined in Jingle File Transfer" (§4.1).
  if (content.senders !== 'initiator') return void refuseLater(env.xmpp, jingle, from, 'failed-application', 'Ferry accepts offered files only');
  const file = parseFileDescription(description);
  if (!file.ok) throw new XmppStanzaError(file.error);
  const offerFile = file.value.file;
  const hash = strongestVerifiableHash(offerFile.hashes);
  env.host.offer({
    method: 'jingle', from, fileElement: description.getChild('file') ?? undefined, sha256: hash ? base64ToHex(hash.base64) : null,
    file: { name: offerFile.name, size: offerFile.size, mediaType: offerFile.mediaType, date: offerFile.date, description: offerFile.description, md5: null },
  }, (deps) => {
    const transfer = new IncomingJingleTransfer({
      xmpp: env.xmpp, ibb: env.ibb, sources: env.sources, deps, jingleTimings: methods.jingleTimings,
      offer: { sid: jingle.sid, from, content, file: offerFile, version: file.value.version },
    });
    const unregister = methods.register(transfer.session);
    const sub = deps.record.onUpdated(() => {
      if (!deps.record.isEnded) return;
      sub();
      setTimeout(unregister, 5_000).unref();
    });
    return transfer;
  });
}

/** Acknowledged (the router returns the result), then terminated: XEP-0166 §6.3.2 asks for a session-terminate here. */
function refuseLater(xmpp: TransferXmpp, jingle: Jingle, from: string, condition: JingleReasonCondition, text?: string): void {
  if (jingle.action !== 'session-initiate') throw new XmppStanzaError(stanzaError('bad-request'));
  setImmediate(() => {
    const terminate = buildJingle({ action: 'session-terminate', sid: jingle.sid, reason: { condition, ...(text ? { text } : {}) } });
    xmpp.request(xml('iq', { type: 'set', to: from }, terminate), 10_000).catch(() => undefined);
  });
}
