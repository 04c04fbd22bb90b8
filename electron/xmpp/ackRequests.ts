import xml, { type Element } from '@xmpp/xml';

/** XEP-0198 namespace (stream management, version 1.6). */
const NS_SM = 'urn:xmpp:sm:3';
/**
 * How often to look whether to ask the server to acknowledge while stanzas are waiting for its ack. Every
 * stanza in the queue survives V8's young generation and dies in the old one: at 1 s the IBB sender (65535-byte
 * blocks, ~18 MB/s) peaked at 153 MiB RSS, at 200 ms 153, at 50 ms 110 (bench, issue 3 target ≤ 120).
 */
export const ACK_REQUEST_INTERVAL_MS = 50;
/**
 * An `<r/>` still unanswered after this long no longer blocks the next one (a lost answer must not stop the
 * asking for good); each further unanswered one doubles the wait, up to ACK_RETRY_MAX_MS.
 */
export const ACK_RETRY_MS = 2000;
export const ACK_RETRY_MAX_MS = 30_000;

/** The parts of an @xmpp/client instance this needs. */
export interface AckClient {
  streamManagement?: { enabled: boolean; outbound_q: unknown[] };
  send(element: ReturnType<typeof xml>): Promise<unknown>;
  on(event: 'offline', listener: () => void): unknown;
  on(event: 'nonza', listener: (element: Element) => void): unknown;
}

/**
 * @xmpp/stream-management keeps every sent stanza until the server acknowledges it, and asks for an ack
 * only once 250 ms pass with nothing sent: a steady stream of IBB blocks never pauses that long, so the
 * queue held the whole file (bench: 200 MiB RSS for 64 MiB). This asks (`<r/>`, XEP-0198 §4) while stanzas
 * are waiting, at most every ACK_REQUEST_INTERVAL_MS and never while an earlier `<r/>` is unanswered: a
 * fast server answers within a tick, so the queue stays short, and a throttled one (ejabberd's 3000 B/s
 * client shaper) is not flooded with requests it cannot read yet (issue 7: 325 `<r/>` for 16 IBB
 * messages). An answer that does not come within ACK_RETRY_MS (doubling) lets the next request go.
 * Returns dispose.
 */
export function requestAcksWhileBusy(client: AckClient, intervalMs = ACK_REQUEST_INTERVAL_MS): () => void {
  let askedAt: number | null = null;
  let retryMs = ACK_RETRY_MS;
  client.on('nonza', (element) => {
    if (element.is('a', NS_SM)) {
      askedAt = null;
      retryMs = ACK_RETRY_MS;
    }
  });
  const timer = setInterval(() => {
    const sm = client.streamManagement;
    if (!sm?.enabled || sm.outbound_q.length === 0) return;
    const now = Date.now();
    if (askedAt !== null) {
      if (now - askedAt < retryMs) return;
      retryMs = Math.min(retryMs * 2, ACK_RETRY_MAX_MS);
    }
    askedAt = now;
    client.send(xml('r', { xmlns: NS_SM })).catch(() => undefined);
  }, intervalMs);
  timer.unref();
  const dispose = (): void => clearInterval(timer);
  client.on('offline', dispose);
  return dispose;
}
