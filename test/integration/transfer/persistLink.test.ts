import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { client, xml, type Client } from '@xmpp/client';
import { createCore } from '../../../electron/app/createCore';
import type { Core } from '../../../electron/app/core';
import type { TransferSummary } from '../../../shared/model/transfer';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { answer, parseRange, startTestHttpServer, type TestHttpServer } from '../../support/testHttpServer';
import { waitFor } from '../../support/xmppWaits';

const FILE = randomBytes(2 * 1024 * 1024 + 77);
const FILE_SHA = createHash('sha256').update(FILE).digest('hex');
const HOLD_AT = 400 * 1024;

/**
 * Issue #10: a link download (XEP-0066) running when Ferry is shut down comes back after the restart as
 * interrupted, and Resume fetches the rest with Range from the kept .part (RFC 9110 §14.2).
 */
describe('a link download interrupted by a shutdown resumes after the restart (issue #10; RFC 9110 §14.2 Range; real Prosody)', () => {
  let server: LocalProsody;
  let http: TestHttpServer;
  let carol: Client;
  const cores: Core[] = [];
  const dirs: string[] = [];
  const requests: (string | undefined)[] = [];
  const held: ServerResponse[] = [];

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push(req.headers.range);
    if (req.url !== '/files/movie.bin') { answer(res, 404, 'no'); return; }
    const range = parseRange(req.headers.range, FILE.length);
    if (range === 'unsatisfiable') { answer(res, 416, 'bad range'); return; }
    const start = range?.start ?? 0;
    res.writeHead(range ? 206 : 200, {
      'Content-Length': String(FILE.length - start), 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
    });
    // The first GET stalls after HOLD_AT bytes, so the test can stop Ferry mid-download.
    if (start === 0) { res.write(FILE.subarray(0, HOLD_AT)); held.push(res); return; }
    res.end(FILE.subarray(start));
  };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['bob', 'bob-pw'], ['carol', 'carol-pw']], friends: [['carol', 'bob']], offerTls: false });
    http = await startTestHttpServer(serve);
    carol = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'raw', username: 'carol', password: 'carol-pw' });
    countInboundFromEnabled(carol as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    carol.reconnect.stop();
    carol.on('error', () => {});
    await carol.start();
  });
  afterEach(async () => {
    for (const res of held.splice(0)) res.destroy();
    await Promise.all(cores.splice(0).map((core) => core.dispose()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => { await carol?.stop(); await http?.stop(); await server?.stop(); });

  async function bob(data: string, download: string) {
    const core = createCore({ downloadDir: download, dataDir: data, session: { loginTimeoutMs: 10_000 }, transfers: { acceptPolicy: () => 'accept' } });
    cores.push(core);
    const latest = new Map<string, TransferSummary>();
    core.on('transfer.updated', (t) => latest.set(t.id, t));
    await core.handlers['session.login']({ jid: 'bob@localhost', password: 'bob-pw', service: server.service, resource: 'ferry', allowPlaintext: true });
    return { core, until: (check: (t: TransferSummary) => boolean, what: string) => waitFor(() => [...latest.values()].find(check), 20_000, what) };
  }

  it('the kept .part is continued with Range and the whole file is right', async () => {
    requests.length = 0; // a retry starts its own count
    const data = mkdtempSync(join(tmpdir(), 'ferry-persist-data-'));
    const download = mkdtempSync(join(tmpdir(), 'ferry-persist-dl-'));
    dirs.push(data, download);
    const first = await bob(data, download);
    const url = http.url('/files/movie.bin');
    await carol.send(xml('message', { to: 'bob@localhost/ferry', type: 'chat' }, xml('body', {}, url), xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, url))));
    const running = await first.until((t) => t.direction === 'incoming' && t.state === 'transferring' && t.bytes > 0, 'bytes flowing');
    await first.core.dispose();
    expect(readdirSync(download).sort()).toEqual(['movie.bin.part', 'movie.bin.part.ferry.json']);
    // What was kept: up to HOLD_AT, fewer when the stop came before the last of them arrived (seen under load).
    const kept = statSync(join(download, 'movie.bin.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(HOLD_AT);

    const second = await bob(data, download);
    let back: TransferSummary | undefined;
    for (const deadline = Date.now() + 10_000; !back && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      back = (await second.core.handlers['transfer.list']()).find((t) => t.id === running.id);
    }
    expect(back).toMatchObject({ state: 'interrupted', url, direction: 'incoming', partPath: join(download, 'movie.bin.part') });
    const { transfer, note } = await second.core.handlers['transfer.resume']({ id: running.id });
    expect(note).toBeNull();
    const done = await second.until((t) => t.id === transfer!.id && ['done', 'failed', 'cancelled'].includes(t.state), 'the resumed download ends');
    expect([done.state, done.reason], JSON.stringify(done.attempts)).toEqual(['done', null]);
    expect(done).toMatchObject({ resumedFrom: kept, sha256: FILE_SHA, file: { size: FILE.length } });
    expect(requests).toEqual([undefined, `bytes=${kept}-`]);
    expect(readdirSync(download)).toEqual(['movie.bin']);
    expect((await second.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([done.id]);
  }, 60_000);
});
