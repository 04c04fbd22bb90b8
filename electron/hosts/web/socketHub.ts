import { WebSocket, type RawData } from 'ws';
import { EVENT_NAMES, type RequestHandlers } from '../../../shared/ipc/contract';
import { dispatchRequest } from '../../../shared/ipc/dispatch';
import type { WsInvoke, WsServerMessage } from '../../../shared/ipc/wsProtocol';
import type { Core } from '../../app/core';

/** Most requests one socket may have running at once; more are answered with an error at once. */
const MAX_PENDING_PER_SOCKET = 64;

function parseInvoke(data: RawData): WsInvoke | null {
  try {
    const message = JSON.parse(data.toString()) as Partial<WsInvoke>;
    if (message?.type !== 'invoke' || !Number.isSafeInteger(message.id)) return null;
    return message as WsInvoke;
  } catch {
    return null;
  }
}

function send(socket: WebSocket, message: WsServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * The authenticated sockets of one web host: each invoke goes through dispatchRequest (name and payload
 * checked before any handler runs) and every core event is broadcast to all sockets.
 */
export class SocketHub {
  private readonly sockets = new Set<WebSocket>();
  private readonly unsubscribes: (() => void)[];
  private isDisposed = false;

  constructor(core: Pick<Core, 'on'>, private readonly handlers: RequestHandlers) {
    this.unsubscribes = EVENT_NAMES.map((name) =>
      core.on(name, (payload) => this.broadcast({ type: 'event', name, payload })));
  }

  /** Takes over an authenticated socket until it closes. */
  add(socket: WebSocket): void {
    if (this.isDisposed) {
      socket.terminate();
      return;
    }
    this.sockets.add(socket);
    let pending = 0;
    socket.on('message', (data) => {
      const invoke = parseInvoke(data);
      if (!invoke) {
        socket.close(1003, 'not an invoke frame');
        return;
      }
      if (pending >= MAX_PENDING_PER_SOCKET) {
        send(socket, { type: 'result', id: invoke.id, ok: false, error: { code: 'bad-request', message: 'too many requests at once' } });
        return;
      }
      pending += 1;
      void dispatchRequest(this.handlers, invoke.name, invoke.args).then((result) => {
        pending -= 1;
        send(socket, { type: 'result', id: invoke.id, ...result });
      });
    });
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.terminate());
  }

  /** How many sockets are connected now. */
  get size(): number {
    return this.sockets.size;
  }

  private broadcast(message: WsServerMessage): void {
    const frame = JSON.stringify(message);
    for (const socket of this.sockets) {
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
    }
  }

  /** Stops event delivery and closes every socket. Idempotent. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }
}
