import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli/runCli';
import type { CliIo } from '../../electron/hosts/cli/command';
import { freePort } from '../../scripts/lib/localProsody.mjs';
import { startTestProsody, type LocalProsody } from '../support/prosody';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {} };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('ferry CLI against a private Prosody', () => {
  let server: LocalProsody;
  let blackHole: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw']] });
    blackHole = createServer((socket) => { held.push(socket); socket.on('error', () => undefined); });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => blackHole?.close(resolve));
    await server?.stop();
  });

  it('check logs in and lists features, the SOCKS5 proxy and the upload service (exit 0)', async () => {
    const c = capture();
    const code = await runCli(['check', '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', server.service, '--json'], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(c.out().trim()) as { features: string[]; proxies: { jid: string }[]; uploadServices: { jid: string }[]; jid: string };
    expect(result.jid).toMatch(/^alice@localhost\//);
    expect(result.features).toContain('http://jabber.org/protocol/disco#info');
    expect(result.proxies.map((p) => p.jid)).toContain(server.proxyJid);
    expect(result.uploadServices.map((u) => u.jid)).toContain(server.uploadJid);
  });

  it('check prints a readable report without --json', async () => {
    const c = capture();
    const code = await runCli(['check', '--service', server.service], { ...c.io, env: { FERRY_JID: 'alice@localhost', FERRY_PASSWORD: 'alice-pw' } });
    expect(code).toBe(0);
    expect(c.out()).toContain('Logged in as alice@localhost/');
    expect(c.out()).toContain(server.proxyJid);
  });

  it('a wrong password exits 3', async () => {
    const c = capture();
    const code = await runCli(['check', '--jid', 'alice@localhost', '--password', 'nope', '--service', server.service], c.io);
    expect(code).toBe(3);
    expect(c.err()).toMatch(/^ferry: /);
  });

  it('an unreachable port exits 3', async () => {
    const c = capture();
    const port = await freePort();
    const code = await runCli(['check', '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', `xmpp://127.0.0.1:${port}`, '--timeout', '20'], c.io);
    expect(code).toBe(3);
  });

  it('a usage error exits 2', async () => {
    const c = capture();
    expect(await runCli(['check', '--jid'], c.io)).toBe(2);
  });

  it('a tiny --timeout on a listener that never answers exits 4', async () => {
    const c = capture();
    const address = blackHole.address() as { port: number };
    const started = Date.now();
    const code = await runCli(['check', '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', `xmpp://127.0.0.1:${address.port}`, '--timeout', '0.5'], c.io);
    expect(code).toBe(4);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
