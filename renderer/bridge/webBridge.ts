/**
 * The web host's FerryBridge: the contract over one loopback WebSocket (`/ws?token=T`, framing in
 * shared/ipc/wsProtocol.ts), plus `stageFiles`, which PUTs browser Files to the host's staging folder, and
 * `downloadUrl`, where a finished received file can be downloaded from.
 * Every invoke is bounded in time; a dropped socket is reopened a bounded number of times.
 */
import type { EventName, Events, RequestArgs, RequestName, RequestResult } from '../../shared/ipc/contract';
import type { FerryBridge } from '../../shared/ipc/bridge';
import { EventBus } from '../../shared/ipc/eventBus';
import { isWireError, type WireError } from '../../shared/ipc/wireError';
import { DOWNLOAD_PATH, TOKEN_PARAM, UPLOAD_PATH, WS_PATH, type WsInvoke, type WsServerMessage } from '../../shared/ipc/wsProtocol';

/** The part of the browser's WebSocket the bridge uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** How the link to the host stands: 'lost' means the bridge gave up reconnecting. */
export type HostLinkState = 'connecting' | 'open' | 'reconnecting' | 'lost';

export interface WebBridgeOptions {
  /** Page location: protocol, host and search (for the token). */
  location: { protocol: string; host: string; search: string };
  createSocket?: (url: string) => SocketLike;
  fetch?: (url: string, init: { method: string; body: Blob; headers: Record<string, string> }) => Promise<Response>;
  /** Default bound for an invoke; session.login and transfer.send get four times as long. */
  timeoutMs?: number;
  /** Waits between reconnect attempts; the last one repeats until maxReconnects. */
  reconnectDelaysMs?: number[];
  maxReconnects?: number;
}

/** FerryBridge plus what only the web host has. */
export interface WebBridge extends FerryBridge {
  stageFiles(files: File[]): Promise<string[]>;
  /** Where the page downloads a finished received file from the host (`/download?token&id`). */
  downloadUrl(id: string): string;
  onLinkState(listener: (state: HostLinkState) => void): () => void;
  linkState(): HostLinkState;
  dispose(): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: WireError) => void;
  timer: ReturnType<typeof setTimeout>;
  frame: string;
  isSent: boolean;
}

const OPEN = 1;
const SLOW_REQUESTS: ReadonlySet<string> = new Set(['session.login', 'session.loginRemembered', 'transfer.send']);

function wireError(code: WireError['code'], message: string): WireError {
  return { code, message };
}

/** Reads the access token from `?token=` of the page URL; null when absent. */
export function tokenFrom(search: string): string | null {
  return new URLSearchParams(search).get(TOKEN_PARAM);
}

/** Builds the web bridge. The socket opens at once; invokes made before it is open wait for it. */
export function createWebBridge(options: WebBridgeOptions): WebBridge {
  const link = new HostLink(options);
  return {
    invoke: <K extends RequestName>(name: K, args: RequestArgs<K>) => link.invoke(name, args) as Promise<RequestResult<K>>,
    on: <K extends EventName>(name: K, listener: (payload: Events[K]) => void) => link.events.on(name, listener),
    pathForFile: () => null,
    stageFiles: (files) => stageFiles(options, files),
    downloadUrl: (id) => `${DOWNLOAD_PATH}?${new URLSearchParams({ [TOKEN_PARAM]: tokenFrom(options.location.search) ?? '', id }).toString()}`,
    onLinkState: (listener) => link.states.on('state', listener),
    linkState: () => link.state,
    dispose: () => link.dispose(),
  };
}

class HostLink {
  readonly events = new EventBus<Events>();
  readonly states = new EventBus<{ state: HostLinkState }>();
  state: HostLinkState = 'connecting';
  private socket: SocketLike | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private isDisposed = false;

  constructor(private readonly options: WebBridgeOptions) {
    this.open();
  }

  invoke(name: string, args: unknown): Promise<unknown> {
    if (this.isDisposed) return Promise.reject(wireError('not-connected', 'The connection to Ferry is closed.'));
    const id = this.nextId++;
    const frame: WsInvoke = { type: 'invoke', id, name, args: args ?? null };
    const base = this.options.timeoutMs ?? 30_000;
    const limit = SLOW_REQUESTS.has(name) ? base * 4 : base;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(wireError('timeout', `Ferry did not answer ${name} within ${Math.round(limit / 1000)} s.`));
      }, limit);
      const entry: Pending = { resolve, reject, timer, frame: JSON.stringify(frame), isSent: false };
      this.pending.set(id, entry);
      this.flush();
    });
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.failAll(wireError('not-connected', 'The connection to Ferry is closed.'));
    this.events.clear();
    this.states.clear();
  }

  private open(): void {
    const { location } = this.options;
    const token = tokenFrom(location.search) ?? '';
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
    const create = this.options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
    const socket = create(url);
    this.socket = socket;
    socket.onopen = () => this.onOpen();
    socket.onmessage = (event) => this.onMessage(event.data);
    socket.onclose = () => this.onClose(socket);
    socket.onerror = () => undefined; // a close event always follows
  }

  private onOpen(): void {
    this.attempts = 0;
    this.setState('open');
    this.flush();
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    for (const entry of this.pending.values()) {
      if (entry.isSent) continue;
      socket.send(entry.frame);
      entry.isSent = true;
    }
  }

  private onMessage(data: unknown): void {
    let message: WsServerMessage;
    try {
      message = JSON.parse(String(data)) as WsServerMessage;
    } catch {
      return; // not our framing: ignore
    }
    if (message.type === 'event') {
      this.events.emit(message.name, message.payload as never);
      return;
    }
    if (message.type !== 'result') return;
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(isWireError(message.error) ? message.error : wireError('internal', 'Ferry sent a malformed error.'));
  }

  private onClose(socket: SocketLike): void {
    if (socket !== this.socket || this.isDisposed) return;
    this.socket = null;
    // Requests already sent will never be answered on a new socket; unsent ones wait for it.
    for (const [id, entry] of this.pending) {
      if (!entry.isSent) continue;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(wireError('not-connected', 'The connection to Ferry was lost.'));
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delays = this.options.reconnectDelaysMs ?? [500, 1000, 2000, 5000];
    const max = this.options.maxReconnects ?? 120;
    if (this.attempts >= max) {
      this.setState('lost');
      this.failAll(wireError('not-connected', 'The connection to Ferry was lost. Reload the page.'));
      return;
    }
    const delay = delays[Math.min(this.attempts, delays.length - 1)];
    this.attempts += 1;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private failAll(error: WireError): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.pending.clear();
  }

  private setState(state: HostLinkState): void {
    if (state === this.state) return;
    this.state = state;
    this.states.emit('state', state);
  }
}

/** PUTs each File to the host's staging folder; resolves with the staged paths in the same order. */
async function stageFiles(options: WebBridgeOptions, files: File[]): Promise<string[]> {
  const token = tokenFrom(options.location.search) ?? '';
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const paths: string[] = [];
  for (const file of files) {
    const query = new URLSearchParams({ [TOKEN_PARAM]: token, name: file.name });
    let response: Response;
    try {
      response = await doFetch(`${UPLOAD_PATH}?${query.toString()}`, {
        method: 'PUT', body: file, headers: { 'Content-Type': 'application/octet-stream' },
      });
    } catch (error) {
      throw wireError('cannot-connect', `Could not hand ${file.name} to Ferry: ${String(error)}`);
    }
    if (!response.ok) throw wireError('internal', `Ferry refused ${file.name} (HTTP ${response.status}).`);
    const body = (await response.json()) as { path?: unknown };
    if (typeof body.path !== 'string') throw wireError('internal', `Ferry did not say where ${file.name} went.`);
    paths.push(body.path);
  }
  return paths;
}
