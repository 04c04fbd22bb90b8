import { randomBytes } from 'node:crypto';
import xml from '@xmpp/xml';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { buildJingle, type Jingle, type JingleReasonOptions } from '../../../xmpp/xep/xep0166Jingle';
import { buildFileRequest } from '../../../xmpp/xep/xep0234FileRequest';
import { RECOMMENDED_BLOCK_SIZE_BYTES } from '../../../xmpp/xep/xep0047Ibb';
import type { FileRequestContext, FileRequestOutcome } from '../types';
import { RESULT } from './sessionReplies';
import type { Reply } from './sessionTypes';

/** How long the peer may take to acknowledge the request. */
const REQUEST_ACK_TIMEOUT_MS = 10_000;
/** After the acknowledgement, how long it may take to end the request session (Ferry does so at once). */
const REQUEST_ANSWER_TIMEOUT_MS = 20_000;

/** What the Jingle router needs of a session it routes IQs to: JingleSession, or a request waiting for its answer. */
export interface RoutedSession {
  readonly sid: string;
  readonly peer: string;
  receive(jingle: Jingle, from: string): Reply;
}

/**
 * Asks `target` for a file again (XEP-0234 §6.2 "Requesting a File", with `<range offset/>` from the bytes
 * kept, §7). Ferry does not receive a requested file in the request's own session: it expects the sender to
 * offer the file anew (which the receiver's resume logic continues) and to end the request with
 * `<alternative-session/>` (XEP-0166 §7.4: "The party prefers to use an existing session with the peer rather
 * than initiate a new session"), which is what a Ferry sender does. Every other answer is a refusal: a stanza
 * error (a client that does not serve requests), another reason, or a session-accept (a client that would
 * stream the file in this session, which Ferry does not run: that session is ended with `<cancel/>`).
 */
export async function requestFile(ctx: FileRequestContext & { register(session: RoutedSession): () => void }): Promise<FileRequestOutcome> {
  const sid = randomBytes(12).toString('hex');
  let answer: (outcome: FileRequestOutcome) => void = () => undefined;
  const answered = new Promise<FileRequestOutcome>((resolve) => { answer = resolve; });
  const terminate = (reason: JingleReasonOptions): void => {
    const jingle = buildJingle({ action: 'session-terminate', sid, reason });
    ctx.xmpp.request(xml('iq', { type: 'set', to: ctx.target }, jingle), REQUEST_ACK_TIMEOUT_MS).catch(() => undefined);
  };
  const unregister = ctx.register({
    sid, peer: ctx.target,
    receive(jingle) {
      if (jingle.action === 'session-terminate') {
        const reason = jingle.reason;
        answer(reason?.condition === 'alternative-session'
          ? { kind: 'reoffered', sid: reason.alternativeSid }
          : { kind: 'refused', detail: `it ended the request (${reason?.condition ?? 'no reason'}${reason?.text ? `: ${reason.text}` : ''})` });
      } else if (jingle.action === 'session-accept') {
        setImmediate(() => terminate({ condition: 'cancel', text: 'Ferry asks for a new offer of the file; it does not receive a requested file in this session' }));
        answer({ kind: 'refused', detail: 'it would send the file in the request session, which Ferry does not take' });
      }
      return RESULT;
    },
  });
  try {
    const iq = xml('iq', { type: 'set', to: ctx.target }, buildFileRequest({
      sid, initiator: ctx.ownJid, selector: ctx.selector,
      ibb: { sid: randomBytes(9).toString('hex'), blockSize: RECOMMENDED_BLOCK_SIZE_BYTES },
    }));
    try {
      await ctx.xmpp.request(iq, REQUEST_ACK_TIMEOUT_MS);
    } catch (error) {
      const condition = error instanceof XmppStanzaError ? error.stanzaError.condition : null;
      return { kind: 'refused', detail: condition ? `it answered ${condition}` : `it did not answer (${(error as Error).message})` };
    }
    let timer: NodeJS.Timeout | undefined;
    const waitMs = ctx.answerTimeoutMs ?? REQUEST_ANSWER_TIMEOUT_MS;
    const timeout = new Promise<FileRequestOutcome>((resolve) => {
      timer = setTimeout(() => {
        terminate({ condition: 'timeout' });
        resolve({ kind: 'refused', detail: `it did not answer the request within ${waitMs / 1000} s` });
      }, waitMs);
      timer.unref();
    });
    const outcome = await Promise.race([answered, timeout]);
    clearTimeout(timer);
    return outcome;
  } finally {
    // A late stanza of this session still finds it for a moment (the answer to our own terminate).
    setTimeout(unregister, 5_000).unref();
  }
}
