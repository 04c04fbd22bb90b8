import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Element } from '@xmpp/xml';
import type { TransferId, TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { answer, startTestHttpServer, type TestHttpServer } from '../../support/testHttpServer';
import { componentError, componentXml as xml, connectTestComponent, discoInfoQuery, NS_DISCO_INFO, type ComponentError, type TestComponent } from '../../support/xmppComponent';
import { closePeer, loginPeer, randomFile, scratchDir, type Peer } from './transferPair';

const NS_UPLOAD = 'urn:xmpp:http:upload:0';
const SERVICE = 'upload-faults.localhost';
const SECRET = 'faults-secret';
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);

/** What the scripted service does with the next slot request and its PUT. */
interface Script {
  slotError?: ComponentError & { appChild?: Element };
  putStatus?: number;
  /** Read the PUT body this slowly: pause after each chunk for this long. */
  slowMs?: number;
}

/**
 * A XEP-0363 service of our own (an XEP-0114 component with its own HTTP server), named with
 * `uploadService` as `--upload-service` does, for what Prosody's http_file_share will not do on demand:
 * refuse with a quota or not-allowed, answer the PUT with 413 or 500, read slowly enough to be cancelled.
 */
describe('HTTP upload faults (XEP-0363 §5 errors, HTTP errors, cancel), against a scripted upload service', () => {
  let server: LocalProsody;
  let http: TestHttpServer;
  let service: TestComponent;
  let script: Script = {};
  const puts: { bytes: number; aborted: boolean }[] = [];
  const peers: Peer[] = [];
  const src = scratchDir();

  const onPut = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry = { bytes: 0, aborted: false };
    puts.push(entry);
    if (script.putStatus) { answer(res, script.putStatus, `scripted ${script.putStatus}`, { Connection: 'close' }); req.resume(); return; }
    req.on('aborted', () => { entry.aborted = true; });
    req.on('close', () => { if (!req.complete) entry.aborted = true; });
    for await (const chunk of req) {
      entry.bytes += (chunk as Buffer).length;
      if (script.slowMs) await new Promise((r) => setTimeout(r, script.slowMs));
    }
    answer(res, 201, 'created');
  };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false, components: [{ jid: SERVICE, secret: SECRET }] });
    http = await startTestHttpServer(onPut);
    service = await connectTestComponent({ prosody: server, jid: SERVICE, secret: SECRET });
    service.get(NS_DISCO_INFO, 'query', () => discoInfoQuery({ category: 'store', type: 'file', name: 'faults' }, [NS_UPLOAD]));
    service.get(NS_UPLOAD, 'request', ({ element }) => {
      if (script.slotError) {
        const error = componentError(script.slotError);
        if (script.slotError.appChild) error.append(script.slotError.appChild);
        return error;
      }
      const name = encodeURIComponent(String(element.attrs.filename));
      return xml('slot', { xmlns: NS_UPLOAD }, xml('put', { url: http.url(`/put/${name}`) }), xml('get', { url: http.url(`/get/${name}`) }));
    });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); script = {}; puts.length = 0; });
  afterAll(async () => { await service?.stop(); await http?.stop(); await server?.stop(); });

  async function send(size: number, name: string, options: { bobOnline?: boolean } = {}): Promise<{ alice: Peer; id: TransferId }> {
    const alice = await loginPeer(server, 'alice', { uploadService: SERVICE });
    peers.push(alice);
    if (options.bobOnline) {
      await expect.poll(async () => (await alice.core.handlers['roster.get']()).some((i) => i.jid === 'bob@localhost' && i.resources.length > 0), { timeout: 10_000 }).toBe(true);
    }
    const file = randomFile(src, name, size);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path], method: 'http-upload' });
    return { alice, id: sent!.id };
  }

  it.each([
    ['quota (resource-constraint with <retry stamp/>, §5)', { type: 'wait', condition: 'resource-constraint', text: 'Quota reached', appChild: xml('retry', { xmlns: NS_UPLOAD, stamp: '2026-12-03T00:00:00Z' }) }, /quota is used up; try again after 2026-12-03T00:00:00Z \(the server said: Quota reached\)/],
    ['file-too-large with max-file-size (§5)', { type: 'modify', condition: 'not-acceptable', appChild: xml('file-too-large', { xmlns: NS_UPLOAD }, xml('max-file-size', {}, '1000')) }, /over the upload limit of 1000 B \(1000 bytes\)/],
    ['forbidden (§5, not allowed)', { type: 'auth', condition: 'forbidden' }, /does not let this account upload files/],
  ] as const)('a slot refused for %s fails the transfer, said in words, and nothing is PUT', async (_label, slotError, reason) => {
    script = { slotError: slotError as Script['slotError'] };
    const { alice, id } = await send(20_000, 'refused.bin');
    const end = await alice.until((t) => t.id === id && ended(t), 15_000, 'alice ends');
    expect([end.state, end.reason]).toEqual(['failed', expect.stringMatching(reason)]);
    expect(puts).toEqual([]);
  });

  it.each([413, 500])('an HTTP %i answer to the PUT fails the transfer with the status in the reason, and no link is sent', async (status) => {
    script = { putStatus: status };
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(bob);
    const { alice, id } = await send(300_000, `status-${status}.bin`, { bobOnline: true });
    const end = await alice.until((t) => t.id === id && ended(t), 15_000, 'alice ends');
    expect([end.state, end.reason]).toEqual(['failed', expect.stringContaining(`answered ${status}`)]);
    // Bob is online: the reason says peer-to-peer is the way left.
    expect(end.reason).toContain('bob@localhost is online: sending peer-to-peer may work (method auto)');
    expect(end.url).toBeNull();
    expect(bob.updates.filter((t) => t.direction === 'incoming')).toEqual([]);
  });

  it('a cancel mid-upload stops the PUT (the server sees it end early), ends "cancelled", and no link is sent', async () => {
    script = { slowMs: 20 };
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(bob);
    const { alice, id } = await send(8 * 1024 * 1024, 'cancel-me.bin');
    await alice.until((t) => t.id === id && t.state === 'transferring' && t.bytes > 0, 15_000, 'uploading');
    alice.core.handlers['transfer.cancel']({ id });
    const end = await alice.until((t) => t.id === id && ended(t), 10_000, 'alice ends');
    expect([end.state, end.reason, end.url]).toEqual(['cancelled', 'cancelled', null]);
    await expect.poll(() => puts[0]?.aborted, { timeout: 10_000 }).toBe(true);
    expect(puts[0]!.bytes).toBeLessThan(8 * 1024 * 1024);
    expect(bob.updates.filter((t) => t.direction === 'incoming')).toEqual([]);
  });
});
