import type { Element } from '@xmpp/xml';

/** XEP-0198 namespace (stream management, version 1.6). */
const NS_SM = 'urn:xmpp:sm:3';
/** XEP-0386 Bind 2: a SASL2 `<success/>` carries `<bound/>`, which may carry an inline `<enabled/>`. */
const NS_BIND2 = 'urn:xmpp:bind:0';

/** The parts of an @xmpp/client instance this needs. */
export interface CountingClient {
  streamManagement?: { inbound: number };
  on(event: 'nonza' | 'disconnect', listener: (element: Element) => void): unknown;
}

/**
 * XEP-0198 §5: "The counter for the received stanzas ('h') is set to zero and started after receiving either
 * <enable/> or <enabled/>." @xmpp/stream-management 0.14 counts every stanza from the start of the stream and
 * zeroes the counter in its enabled(), which runs a few microtasks after `<enabled/>` was parsed. Stanzas parsed
 * in the same read as `<enabled/>` are counted before that late reset, so:
 *  - a stanza the server sent before `<enabled/>` (a peer's ping routed to us during login) is counted, and an
 *    `<r/>` in the same read is answered with it: h is one too high and Prosody closes the stream ("Client
 *    acknowledged more stanzas than sent by server");
 *  - the stanzas after `<enabled/>` in that read are wiped by the reset: the next h is too low, and lower than
 *    the one just sent ("Client acknowledged less stanzas than already acknowledged").
 * xmpp.js's iqCaller hid the first case for IQ results: it consumes them before the stream-management middleware,
 * which therefore never counts a result to a request (issue 7 item 13; Ferry now counts them, see iqReplies.ts).
 *
 * This starts the counter synchronously when `<enabled/>` is emitted (before the next element of the read is
 * parsed) and keeps only the counter's increments from then on; xmpp.js's own resets are ignored. Ferry never
 * resumes a stream (XmppSession makes a fresh client per connection), so nothing else writes the counter.
 */
export function countInboundFromEnabled(client: CountingClient): void {
  const sm = client.streamManagement;
  if (!sm) return;
  let handled = 0;
  let isCounting = false;
  client.on('nonza', (element) => {
    if (!isEnabled(element)) return;
    handled = 0;
    isCounting = true;
  });
  client.on('disconnect', () => { isCounting = false; });
  Object.defineProperty(sm, 'inbound', {
    configurable: true,
    enumerable: true,
    get: () => handled,
    // xmpp.js writes `inbound += 1` per stanza; any other write is one of its resets (see above).
    set: (value: number) => {
      if (isCounting && value === handled + 1) handled = value;
    },
  });
}

function isEnabled(element: Element): boolean {
  if (element.is('enabled', NS_SM)) return true;
  return element.getChild('bound', NS_BIND2)?.getChild('enabled', NS_SM) !== undefined;
}
