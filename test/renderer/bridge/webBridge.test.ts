import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WsInvoke } from '../../../shared/ipc/wsProtocol';
import { createWebBridge, tokenFrom, type SocketLike, type WebBridge } from '../../../renderer/bridge/webBridge';

/** An in-test WebSocket: records what is sent, lets the test open, answer and drop it. No network. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({});
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  invokes(): WsInvoke[] {
    return this.sent.map((s) => JSON.parse(s) as WsInvoke);
  }
}

const location = { protocol: 'http:', host: '127.0.0.1:4321', search: '?token=s3cr%2Bt' };
let bridge: WebBridge;

function last(): FakeSocket {
  return FakeSocket.all[FakeSocket.all.length - 1];
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  bridge = createWebBridge({
    location, createSocket: (url) => new FakeSocket(url), timeoutMs: 1000, reconnectDelaysMs: [100], maxReconnects: 2,
  });
});

afterEach(() => {
  bridge.dispose();
  vi.useRealTimers();
});

describe('webBridge', () => {
  it('opens the socket at /ws on the same host with the page token', () => {
    expect(last().url).toBe('ws://127.0.0.1:4321/ws?token=s3cr%2Bt');
    expect(tokenFrom(location.search)).toBe('s3cr+t');
  });

  it('queues invokes until open, then matches each result to its request by id', async () => {
    const info = bridge.invoke('host.info', undefined);
    const history = bridge.invoke('chat.history', { jid: 'bob@localhost' });
    expect(last().sent).toHaveLength(0);
    last().accept();
    const [first, second] = last().invokes();
    expect(first).toMatchObject({ type: 'invoke', name: 'host.info' });
    expect(second).toMatchObject({ type: 'invoke', name: 'chat.history', args: { jid: 'bob@localhost' } });
    expect(first.id).not.toBe(second.id);
    last().deliver({ type: 'result', id: second.id, ok: true, value: [] });
    last().deliver({ type: 'result', id: first.id, ok: true, value: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
    await expect(history).resolves.toEqual([]);
    await expect(info).resolves.toMatchObject({ kind: 'web' });
  });

  it('rejects with the WireError the host sent', async () => {
    last().accept();
    const login = bridge.invoke('session.login', { jid: 'alice@localhost', password: 'nope' });
    const { id } = last().invokes()[0];
    last().deliver({ type: 'result', id, ok: false, error: { code: 'not-authorized', message: 'not-authorized' } });
    await expect(login).rejects.toEqual({ code: 'not-authorized', message: 'not-authorized' });
  });

  it('rejects with a timeout WireError when no result comes in time', async () => {
    last().accept();
    const get = bridge.invoke('session.get', undefined);
    const assertion = expect(get).rejects.toMatchObject({ code: 'timeout' });
    await vi.advanceTimersByTimeAsync(1001);
    await assertion;
  });

  it('delivers host events to listeners until they unsubscribe', () => {
    last().accept();
    const seen: string[] = [];
    const off = bridge.on('chat.received', (m) => seen.push(m.body));
    const message = { id: 'm1', peer: 'bob@localhost', direction: 'incoming', from: 'bob@localhost/x', body: 'hi', at: 1 };
    last().deliver({ type: 'event', name: 'chat.received', payload: message });
    off();
    last().deliver({ type: 'event', name: 'chat.received', payload: { ...message, id: 'm2' } });
    expect(seen).toEqual(['hi']);
  });

  it('rejects sent requests on a drop, reconnects, and gives up after maxReconnects', async () => {
    const states: string[] = [];
    bridge.onLinkState((s) => states.push(s));
    last().accept();
    const pending = bridge.invoke('session.get', undefined);
    last().drop();
    await expect(pending).rejects.toMatchObject({ code: 'not-connected' });
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.all).toHaveLength(2);
    last().accept();
    last().drop();
    await vi.advanceTimersByTimeAsync(100);
    last().drop();
    await vi.advanceTimersByTimeAsync(100);
    last().drop();
    expect(states).toEqual(['open', 'reconnecting', 'open', 'reconnecting', 'lost']);
    expect(bridge.linkState()).toBe('lost');
  });

  it('stages files with PUT /upload?token&name and returns the paths in order', async () => {
    const fetch = vi.fn(async (url: string, _init: RequestInit) => new Response(JSON.stringify({ path: `/stage/${new URL(url, 'http://x').searchParams.get('name')}` })));
    const staging = createWebBridge({ location, createSocket: (url) => new FakeSocket(url), fetch });
    const files = [new File(['a'], 'a b.txt'), new File(['bb'], 'c.png')];
    await expect(staging.stageFiles(files)).resolves.toEqual(['/stage/a b.txt', '/stage/c.png']);
    expect(fetch.mock.calls[0][0]).toBe('/upload?token=s3cr%2Bt&name=a+b.txt');
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'PUT', body: files[0] });
    expect(staging.pathForFile(files[0])).toBeNull();
    staging.dispose();
  });

  it('rejects staging with a WireError when the host refuses', async () => {
    const fetch = vi.fn(async () => new Response('no', { status: 403 }));
    const staging = createWebBridge({ location, createSocket: (url) => new FakeSocket(url), fetch });
    await expect(staging.stageFiles([new File(['a'], 'a.txt')])).rejects.toMatchObject({ code: 'internal' });
    staging.dispose();
  });

  it('builds the Download URL of a received file with the page token (GET /download?token&id)', () => {
    const bridge2 = createWebBridge({ location, createSocket: (url) => new FakeSocket(url) });
    expect(bridge2.downloadUrl('id/1 x')).toBe('/download?token=s3cr%2Bt&id=id%2F1+x');
    bridge2.dispose();
  });
});
