import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createCore } from '../../electron/app/createCore';
import type { Core } from '../../electron/app/core';
import { startWebHost, type WebHost } from '../../electron/hosts/web/webHost';
import { startTestProsody, type LocalProsody } from '../support/prosody';

describe('web host driving the real core against a private Prosody', () => {
  let server: LocalProsody;
  let core: Core;
  let host: WebHost;
  let socket: WebSocket;
  let dir: string;
  const messages: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw']] });
    dir = mkdtempSync(join(tmpdir(), 'ferry-webhost-int-'));
    writeFileSync(join(dir, 'index.html'), '<title>Ferry</title>');
    core = createCore({ downloadDir: join(dir, 'downloads') });
    host = await startWebHost({ core, staticDir: dir, stagingDir: join(dir, 'staging') });
    socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  });
  afterAll(async () => {
    socket?.close();
    await host?.close();
    await core?.dispose();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let nextId = 1;
  async function invoke(name: string, args: unknown): Promise<Record<string, unknown>> {
    const id = nextId++;
    socket.send(JSON.stringify({ type: 'invoke', id, name, args }));
    for (let waited = 0; waited < 20_000; waited += 20) {
      const result = messages.find((m) => m.type === 'result' && m.id === id);
      if (result) return result;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no answer to ${name}`);
  }

  it('logs in over the socket, broadcasts session.changed and answers disco.server', async () => {
    const login = await invoke('session.login', { jid: 'alice@localhost', password: 'alice-pw', service: server.service });
    expect(login).toMatchObject({ ok: true, value: { state: 'online', isSecure: true } });
    expect(messages.some((m) => m.type === 'event' && m.name === 'session.changed')).toBe(true);
    const disco = await invoke('disco.server', null);
    expect(disco).toMatchObject({ ok: true });
    expect((disco.value as { proxies: { jid: string }[] }).proxies.map((p) => p.jid)).toContain(server.proxyJid);
    expect(await invoke('host.info', null)).toMatchObject({ ok: true, value: { kind: 'web' } });
  });

  it('answers a wrong password with a not-authorized WireError', async () => {
    await invoke('session.logout', null);
    const login = await invoke('session.login', { jid: 'alice@localhost', password: 'nope', service: server.service });
    expect(login).toMatchObject({ ok: false, error: { code: 'not-authorized' } });
  });
});
