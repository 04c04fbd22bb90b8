import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { openClient, stopQuietly } from '../../electron/xmpp/clientFactory';
import { parseService } from '../../electron/xmpp/connectionOptions';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';

// The other side of issue 7's ack-request fix: one <r/> at a time must still keep @xmpp/stream-management's
// unacked queue short on a server that answers at once, because every answer (<a/>, XEP-0198 §4) frees the next
// request. (If answers went unseen, requests would fall back to the 2 s, 4 s, … retries and the queue would hold
// seconds of traffic: the IBB sender's memory, ackRequests.ts.)
describe('XEP-0198 ack requests against a real Prosody', () => {
  let server: LocalProsody;
  beforeAll(async () => { server = await startTestProsody({ accounts: [['alice', 'alice-pw']], offerTls: false }); });
  afterAll(async () => { await server?.stop(); });

  it('keeps the unacked queue short under a steady stream of stanzas (§4: each <a/> lets the next <r/> go)', async () => {
    const xmpp = await openClient({
      endpoint: parseService(server.service), domain: 'localhost', username: 'alice', password: 'alice-pw', resource: 'acks',
      allowPlaintext: true, timeoutMs: 10_000, dispatchIq: () => undefined, log: () => undefined,
    });
    try {
      const sm = (xmpp as unknown as { streamManagement: { enabled: boolean; outbound_q: unknown[] } }).streamManagement;
      await waitFor(() => sm.enabled || undefined, 5000, 'stream management enabled'); // <enabled/> may follow 'online'
      let longest = 0;
      // 3 s of a message every 10 ms: never the 250 ms pause @xmpp's own request waits for.
      for (let i = 0; i < 300; i += 1) {
        await xmpp.send(xml('message', { to: 'alice@localhost/nobody', type: 'normal' }, xml('body', {}, `n${i}`)));
        longest = Math.max(longest, sm.outbound_q.length);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(longest).toBeLessThan(60); // 50 ms of traffic is ~5 stanzas; unanswered asks would leave ≥ 200
    } finally {
      await stopQuietly(xmpp);
    }
  });
});
