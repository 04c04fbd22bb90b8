import { describe, expect, it } from 'vitest';
import type { Element } from '@xmpp/xml';
import { requestFile, type RoutedSession } from '../../../../../../electron/transfer/methods/jingle/fileRequester';
import type { TransferXmpp } from '../../../../../../electron/transfer/ports';
import { XmppStanzaError } from '../../../../../../electron/xmpp/stanzaErrors';
import { stanzaError } from '../../../../../../electron/xmpp/xep/stanzaErrors';
import { parseJingle, type Jingle, type JingleReasonOptions } from '../../../../../../electron/xmpp/xep/xep0166Jingle';
import { readFileRequest } from '../../../../../../electron/xmpp/xep/xep0234FileRequest';
import { reparse } from '../../../../../support/xepFixtures';

const SENDER = 'alice@localhost/ferry';
const SELECTOR = { name: 'x.bin', size: 1000, hashes: [], offset: 400 };

/** A fake session: captures every IQ sent; the request's own answer is `answerRequest`. */
function fakeXmpp(answerRequest: () => Promise<void>): { xmpp: TransferXmpp; sent: Jingle[] } {
  const sent: Jingle[] = [];
  const xmpp = {
    jid: 'bob@localhost/ferry',
    request: async (iq: Element) => {
      const parsed = parseJingle(reparse(iq).getChild('jingle')!);
      if (!parsed.ok) throw new Error('Ferry sent a malformed jingle');
      sent.push(parsed.value);
      if (parsed.value.action === 'session-initiate') await answerRequest();
      return iq;
    },
  } as unknown as TransferXmpp;
  return { xmpp, sent };
}

function terminate(sid: string, reason: JingleReasonOptions): Jingle {
  return { action: 'session-terminate', sid, initiator: null, responder: null, contents: [], info: [], reason: { text: null, appCondition: null, alternativeSid: null, ...reason } };
}

async function run(answerRequest: () => Promise<void>, peer: (session: RoutedSession) => void) {
  const { xmpp, sent } = fakeXmpp(answerRequest);
  let routed: RoutedSession | null = null;
  const outcome = requestFile({
    xmpp, ownJid: 'bob@localhost/ferry', target: SENDER, selector: SELECTOR, answerTimeoutMs: 2_000,
    register: (session) => { routed = session; return () => { routed = null; }; },
  });
  await new Promise((resolve) => setImmediate(resolve));
  if (routed) peer(routed);
  return { outcome: await outcome, sent };
}

describe('asking a sender for a file again (XEP-0234 §6.2 Requesting a File)', () => {
  it('sends a request for the kept range and reads alternative-session as the sender offering it anew (XEP-0166 §7.4)', async () => {
    const { outcome, sent } = await run(async () => undefined, (session) => {
      session.receive(terminate(session.sid, { condition: 'alternative-session', alternativeSid: 'new-sid' }), SENDER);
    });
    expect(outcome).toEqual({ kind: 'reoffered', sid: 'new-sid' });
    expect(readFileRequest(sent[0]!)).toEqual({ ok: true, value: SELECTOR });
  });

  it.each(['feature-not-implemented', 'item-not-found', 'service-unavailable'] as const)('a client that does not serve requests (%s) is a refusal', async (condition) => {
    const { outcome } = await run(async () => { throw new XmppStanzaError(stanzaError(condition)); }, () => undefined);
    expect(outcome).toEqual({ kind: 'refused', detail: `it answered ${condition}` });
  });

  it('file-not-available (§9.1) is a refusal that says so', async () => {
    const { outcome } = await run(async () => undefined, (session) => {
      session.receive(terminate(session.sid, { condition: 'failed-application', text: 'no such file was offered to you' }), SENDER);
    });
    expect(outcome).toEqual({ kind: 'refused', detail: 'it ended the request (failed-application: no such file was offered to you)' });
  });

  it('a session-accept (a client that would stream the file in the request session) is refused and ended with cancel', async () => {
    const { outcome, sent } = await run(async () => undefined, (session) => {
      session.receive({ action: 'session-accept', sid: session.sid, initiator: null, responder: SENDER, contents: [], reason: null, info: [] }, SENDER);
    });
    expect(outcome.kind).toBe('refused');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.map((j) => [j.action, j.reason?.condition ?? null])).toEqual([['session-initiate', null], ['session-terminate', 'cancel']]);
  });

  it('a sender that acknowledges and never answers is a refusal after the deadline, and the request is ended (timeout)', async () => {
    const { outcome, sent } = await run(async () => undefined, () => undefined);
    expect(outcome).toEqual({ kind: 'refused', detail: 'it did not answer the request within 2 s' });
    expect(sent.at(-1)).toMatchObject({ action: 'session-terminate', reason: { condition: 'timeout' } });
  });
});
