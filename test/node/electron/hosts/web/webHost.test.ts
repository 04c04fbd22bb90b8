import { mkdtempSync, mkdirSync, readFileSync, readdirSync as readdir, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startWebHost, type WebHost } from '../../../../../electron/hosts/web/webHost';
import { createFakeCore, type FakeCore } from '../../../../fakes/fakeCore';
import type { TransferSummary } from '../../../../../shared/model/transfer';

let dir: string;
let staticDir: string;
let stagingDir: string;
let core: FakeCore;
let host: WebHost;

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP')).length;
}

function connect(options: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const token = options.token ?? host.token;
  const origin = options.origin ?? `http://127.0.0.1:${host.port}`;
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${encodeURIComponent(token)}`, { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function refusal(options: { token?: string; origin?: string }): Promise<number> {
  return connect(options).then(
    (socket) => { socket.close(); return 101; },
    (error: Error) => Number(/Unexpected server response: (\d+)/.exec(error.message)?.[1] ?? 0),
  );
}

function invoke(socket: WebSocket, id: number, name: string, args: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.type === 'result' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'invoke', id, name, args }));
  });
}

function rawGet(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-webhost-'));
  staticDir = join(dir, 'static');
  stagingDir = join(dir, 'staging');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Ferry</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  core = createFakeCore();
  host = await startWebHost({ core, staticDir, stagingDir, port: 0 });
});

afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web host: access control', () => {
  it('prints a loopback URL carrying a token of at least 128 bits', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('refuses a WebSocket upgrade with a wrong or missing token (401)', async () => {
    expect(await refusal({ token: 'wrong' })).toBe(401);
    expect(await refusal({ token: '' })).toBe(401);
    expect(await refusal({ token: `${host.token}x` })).toBe(401);
  });

  it('refuses a WebSocket upgrade from another origin (403)', async () => {
    expect(await refusal({ origin: 'http://evil.example' })).toBe(403);
    expect(await refusal({ origin: `http://localhost:${host.port + 1}` })).toBe(403);
  });

  it('refuses an upload without the token (401)', async () => {
    const response = await fetch(`http://127.0.0.1:${host.port}/upload?token=nope&name=a.txt`, { method: 'PUT', body: 'x' });
    expect(response.status).toBe(401);
  });
});

describe('web host: the contract over the socket', () => {
  it('answers an invoke through the core and the web host handlers', async () => {
    const socket = await connect();
    const login = await invoke(socket, 1, 'session.login', { jid: 'a@localhost', password: 'pw' });
    expect(login).toMatchObject({ type: 'result', id: 1, ok: true, value: { state: 'online' } });
    expect(core.calls).toContainEqual({ name: 'session.login', args: { jid: 'a@localhost', password: 'pw' } });
    const info = await invoke(socket, 2, 'host.info', null);
    expect(info).toMatchObject({ ok: true, value: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
    socket.close();
  });

  it('answers a bad payload with a bad-request WireError before any handler runs', async () => {
    const socket = await connect();
    const result = await invoke(socket, 7, 'session.login', { jid: 'a@localhost', password: 'pw', extra: 1 });
    expect(result).toMatchObject({ id: 7, ok: false, error: { code: 'bad-request' } });
    expect(core.calls).toHaveLength(0);
    socket.close();
  });

  it('refuses an unknown request name', async () => {
    const socket = await connect();
    const result = await invoke(socket, 3, 'process.exit', null);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('unknown request') } });
    socket.close();
  });

  it('refuses native file requests in the browser', async () => {
    const socket = await connect();
    const result = await invoke(socket, 4, 'file.pick', null);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('not available in the browser') } });
    socket.close();
  });

  it('broadcasts core events to every authenticated socket', async () => {
    const [a, b] = [await connect(), await connect()];
    const received = [a, b].map((socket) => new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString())))));
    const summary = { id: 't1', state: 'offered' } as unknown as TransferSummary;
    core.emit('transfer.updated', summary);
    for (const message of await Promise.all(received)) {
      expect(message).toEqual({ type: 'event', name: 'transfer.updated', payload: summary });
    }
    a.close();
    b.close();
  });
});

describe('web host: static files', () => {
  it('serves index.html for / with a strict CSP and nosniff', async () => {
    const response = await rawGet('/?token=whatever');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>Ferry</title>');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content type', async () => {
    const response = await rawGet('/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/assets/', '/nope.js', '/%E0%A4%A'])(
    'answers 404 for %s (no traversal, no listings)', async (path) => {
      const response = await rawGet(path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('do not serve');
    },
  );
});

describe('web host: upload', () => {
  it('streams the body into a fresh file in the staging folder and answers its path', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31) & 0xff;
    const url = `http://127.0.0.1:${host.port}/upload?token=${host.token}&name=${encodeURIComponent('../../evil\u202e.txt')}`;
    const response = await fetch(url, { method: 'PUT', body: bytes });
    expect(response.status).toBe(200);
    const { path } = (await response.json()) as { path: string };
    expect(path.startsWith(stagingDir + sep)).toBe(true);
    expect(path.endsWith(`${sep}evil.txt`)).toBe(true);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('lets the browser send only files it staged and accept only into the download folder (not-authorized otherwise)', async () => {
    const socket = await connect();
    const secret = join(dir, 'secret.txt');
    const refused = await invoke(socket, 1, 'transfer.send', { to: 'bob@localhost/r', paths: [secret] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-authorized', message: expect.stringContaining('secret.txt') } });
    const url = `http://127.0.0.1:${host.port}/upload?token=${host.token}&name=ok.txt`;
    const { path } = (await (await fetch(url, { method: 'PUT', body: 'hi' })).json()) as { path: string };
    expect(await invoke(socket, 2, 'transfer.send', { to: 'bob@localhost/r', paths: [path] })).toMatchObject({ ok: true });
    const badDir = await invoke(socket, 3, 'transfer.accept', { id: 't1', dir: join(dir, 'static') });
    expect(badDir).toMatchObject({ ok: false, error: { code: 'not-authorized' } });
    expect(await invoke(socket, 4, 'transfer.accept', { id: 't1' })).toMatchObject({ ok: true });
    expect(core.calls.map((call) => call.name)).toEqual(['transfer.send', 'transfer.accept']);
    socket.close();
  });

  it('refuses a body over the size cap and leaves nothing behind', async () => {
    await host.close();
    host = await startWebHost({ core, staticDir, stagingDir, port: 0, maxUploadBytes: 1000 });
    const url = `http://127.0.0.1:${host.port}/upload?token=${host.token}&name=big.bin`;
    const response = await fetch(url, { method: 'PUT', body: Buffer.alloc(5000) });
    expect(response.status).toBe(413);
    expect(readdir(stagingDir)).toEqual([]);
  });
});

describe('web host: closing', () => {
  it('closes sockets and the listener, leaves no TCP handles and stops listening to the core', async () => {
    await host.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = tcpHandles();
    host = await startWebHost({ core, staticDir, stagingDir, port: 0 });
    const socket = await connect();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    expect(core.listenerCount()).toBeGreaterThan(0);
    await host.close();
    await host.close();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(core.listenerCount()).toBe(0);
    expect(tcpHandles()).toBe(before);
    await expect(fetch(`http://127.0.0.1:${host.port}/`)).rejects.toThrow();
  });
});
