import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/app/createCore';
import type { Core } from '../../electron/app/core';
import { startWebHost, type WebHost } from '../../electron/hosts/web/webHost';
import type { TransferSummary } from '../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';
import { closePeer, loginPeer, randomFile, type Peer } from './transfer/transferPair';

describe('web host Download: a finished received file served to its own page (issue 11)', () => {
  let server: LocalProsody;
  let alice: Peer;
  let bob: Core;
  let host: WebHost;
  let dir: string;
  const latest = new Map<string, TransferSummary>();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
    dir = mkdtempSync(join(tmpdir(), 'ferry-webhost-download-'));
    writeFileSync(join(dir, 'index.html'), '<title>Ferry</title>');
    // Bob takes files whose name starts with "take" and leaves the others waiting (a transfer that is not done).
    bob = createCore({
      downloadDir: join(dir, 'downloads'),
      transfers: { directAddresses: ['127.0.0.1'], discoverProxies: false, acceptPolicy: (offer) => (offer.name.startsWith('take') ? 'accept' : 'ask') },
    });
    bob.on('transfer.updated', (t) => latest.set(t.id, t));
    await bob.handlers['session.login']({ jid: 'bob@localhost', password: 'bob-pw', service: server.service, resource: 'ferry', allowPlaintext: true });
    host = await startWebHost({ core: bob, staticDir: dir, stagingDir: join(dir, 'staging') });
    alice = await loginPeer(server, 'alice', { discoverProxies: false });
  });
  afterAll(async () => {
    await host?.close();
    await bob?.dispose();
    if (alice) await closePeer(alice);
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const until = (check: (t: TransferSummary) => boolean, what: string) => waitFor(() => [...latest.values()].find(check), 20_000, what);
  const download = (query: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${host.port}/download?${query}`, init);

  it('streams the file with its length and saved name with the token, and refuses without it or for an id that is not a finished received file', async () => {
    const file = randomFile(join(dir), 'take été (1).bin', 300 * 1024);
    await alice.core.handlers['transfer.send']({ method: 'si', to: 'bob@localhost/ferry', paths: [file.path] });
    const received = await until((t) => t.file.name === 'take été (1).bin' && t.state === 'done', 'bob receives the file');

    const ok = await download(`token=${host.token}&id=${received.id}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-length')).toBe(String(300 * 1024));
    expect(ok.headers.get('content-type')).toBe('application/octet-stream');
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="take _t_ (1).bin"; filename*=UTF-8''take%20%C3%A9t%C3%A9%20%281%29.bin`);
    const bytes = Buffer.from(await ok.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);

    expect((await download(`id=${received.id}`)).status).toBe(401);
    expect((await download(`token=wrong-${host.token}&id=${received.id}`)).status).toBe(401);
    expect((await download(`token=${host.token}&id=${received.id}`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await download(`token=${host.token}&id=no-such-transfer`)).status).toBe(404);
    expect((await download(`token=${host.token}&id=${encodeURIComponent(received.path!)}`)).status).toBe(404);

    const waiting = randomFile(join(dir), 'wait.bin', 1024);
    await alice.core.handlers['transfer.send']({ method: 'si', to: 'bob@localhost/ferry', paths: [waiting.path] });
    const offered = await until((t) => t.file.name === 'wait.bin' && t.state === 'offered', 'bob sees the waiting offer');
    const notDone = await download(`token=${host.token}&id=${offered.id}`);
    expect(notDone.status).toBe(404);
    expect(await notDone.text()).toBe('no finished received file with that id\n');

    rmSync(received.path!);
    expect((await download(`token=${host.token}&id=${received.id}`)).status).toBe(410);
  });
});
