import type { Element } from '@xmpp/xml';
import { IbbBlockRefused, type IbbStream } from '../../transport/ibb/ibbStream';
import { XmppStanzaError } from '../../xmpp/stanzaErrors';
import { stanzaError, type ParseResult } from '../../xmpp/xep/stanzaErrors';
import {
  checkBlockSize, DATA_ERRORS, MAX_BLOCK_SIZE_BYTES, NS_IBB, parseClose, parseData, parseOpen, type IbbData, type IbbOpen,
} from '../../xmpp/xep/xep0047Ibb';
import type { TransferXmpp } from '../ports';

/**
 * Decides an incoming `<open/>` for an expected session: returns the stream that takes its data, or
 * throws the XmppStanzaError to answer with.
 */
export type IbbOpenHandler = (open: IbbOpen) => IbbStream;

/** Which XEP-0047 sessions exist, by (sid, peer full JID); SI and Jingle both register here. */
export interface IbbRegistry {
  /** Expect the peer to open `sid`; returns dispose. */
  expect(sid: string, from: string, onOpen: IbbOpenHandler): () => void;
  /** An outgoing stream whose receiver may send `<close/>`; returns dispose. */
  addOutgoing(sid: string, to: string, stream: IbbStream): () => void;
}

interface Expected { onOpen: IbbOpenHandler; stream: IbbStream | null }

function orThrow<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new XmppStanzaError(result.error);
  return result.value;
}

/**
 * The one set of XEP-0047 stanza handlers (open, data and close in `<iq/>`, data in `<message/>`), shared
 * by every method that negotiates an in-band bytestream: a session is found by (sid, sender), never by sid
 * alone. Returns the registry and dispose.
 */
export function registerIbbRouter(xmpp: TransferXmpp): { registry: IbbRegistry; dispose(): void } {
  const expected = new Map<string, Expected>();
  const outgoing = new Map<string, IbbStream>();
  const key = (sid: string, jid: string): string => `${sid} ${jid}`;
  const streamOf = (sid: string, from: string): IbbStream | null => expected.get(key(sid, from))?.stream ?? null;
  const add = <T>(map: Map<string, T>, k: string, value: T): () => void => {
    map.set(k, value);
    return () => { if (map.get(k) === value) map.delete(k); };
  };
  const registry: IbbRegistry = {
    expect: (sid, from, onOpen) => add(expected, key(sid, from), { onOpen, stream: null }),
    addOutgoing: (sid, to, stream) => add(outgoing, key(sid, to), stream),
  };
  const disposers = [
    xmpp.handleIq('set', NS_IBB, 'open', ({ element, from }) => {
      const open = orThrow(parseOpen(element));
      const tooLarge = checkBlockSize(open, MAX_BLOCK_SIZE_BYTES);
      if (tooLarge) throw new XmppStanzaError(tooLarge);
      const entry = expected.get(key(open.sid, from));
      if (!entry) throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'no accepted transfer for this sid' }));
      entry.stream = entry.onOpen(open);
      return undefined;
    }),
    xmpp.handleIq('set', NS_IBB, 'data', async ({ element, from }) => {
      const data = orThrow(parseData(element));
      await pushData(streamOf(data.sid, from), data);
      return undefined;
    }),
    xmpp.handleIq('set', NS_IBB, 'close', ({ element, from }) => {
      const { sid } = orThrow(parseClose(element));
      const stream = outgoing.get(key(sid, from)) ?? streamOf(sid, from);
      if (!stream && !expected.has(key(sid, from))) throw new XmppStanzaError(stanzaError('item-not-found', { type: 'cancel' }));
      stream?.peerClosed();
      return undefined;
    }),
    xmpp.onMessage((stanza) => routeMessageData(stanza, streamOf)),
  ];
  return { registry, dispose: () => { for (const dispose of disposers) dispose(); } };
}

async function pushData(stream: IbbStream | null, data: IbbData): Promise<void> {
  if (!stream) throw new XmppStanzaError(DATA_ERRORS['unknown-session']);
  try {
    await stream.pushBlock(data.seq, data.base64);
  } catch (error) {
    if (error instanceof IbbBlockRefused && error.reason in DATA_ERRORS) {
      throw new XmppStanzaError(DATA_ERRORS[error.reason as keyof typeof DATA_ERRORS]);
    }
    throw new XmppStanzaError(stanzaError('unexpected-request', { type: 'cancel', text: (error as Error).message }));
  }
}

/** XEP-0047 §4: data in `<message/>` stanzas (Spark, seed 001). No acknowledgement exists; errors close the stream. */
function routeMessageData(stanza: Element, streamOf: (sid: string, from: string) => IbbStream | null): void {
  const element = stanza.getChild('data', NS_IBB);
  if (!element || stanza.attrs.type === 'error') return;
  const data = parseData(element);
  if (!data.ok) return;
  // Unknown sid in a message: nothing to answer.
  void streamOf(data.value.sid, String(stanza.attrs.from ?? ''))?.pushBlock(data.value.seq, data.value.base64).catch(() => undefined);
}
