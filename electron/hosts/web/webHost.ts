/**
 * The web host: serves the built renderer and carries the IPC contract over a loopback WebSocket
 * (framing in shared/ipc/wsProtocol.ts). Binds 127.0.0.1 only; a random token guards the socket and
 * the upload and download endpoints, and the socket also requires our own Origin (no other page may drive Ferry).
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { DOWNLOAD_PATH, TOKEN_PARAM, UPLOAD_PATH, WS_PATH } from '../../../shared/ipc/wsProtocol';
import { joinHandlers, type Core, type HostHandlers } from '../../app/core';
import { createPathGrants, guardTransferPaths, type PathGrants } from '../../app/pathGrants';
import { securityHeaders } from './securityHeaders';
import { SocketHub } from './socketHub';
import { serveStatic } from './staticFiles';
import { isTokenValid, newToken } from './token';
import { MAX_UPLOAD_BYTES, receiveUpload } from './upload';
import { downloadableFile, serveDownload } from './download';
import { createHeadlessHostHandlers } from '../headlessHostHandlers';

/** Largest WebSocket message accepted (a transfer.send with many long paths fits easily). */
const MAX_WS_MESSAGE_BYTES = 8 * 1024 * 1024;

export interface WebHostOptions {
  /** The core to drive; the web host never disposes it (its owner does). */
  core: Core;
  /** Overrides of the web host's own handlers (host.info, file.*). */
  host?: Partial<HostHandlers>;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Where `PUT /upload` stores browser files (created when missing). */
  stagingDir: string;
  /** Cap of one upload in bytes (default 8 GiB). */
  maxUploadBytes?: number;
  /** The configured download folder: transfer.accept may name it (the browser has no folder picker). */
  downloadDir?: string;
}

export interface WebHost {
  /** `http://127.0.0.1:P/?token=T`: the page to open. */
  url: string;
  port: number;
  token: string;
  /** Closes every socket and the listener. Idempotent. */
  close(): Promise<void>;
}

interface Context {
  options: WebHostOptions;
  token: string;
  port: number;
  hub: SocketHub;
  wss: WebSocketServer;
  /** Staged uploads are the only files the browser may send (../../app/pathGrants.ts). */
  grants: PathGrants;
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function hasOurHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function onUpgrade(context: Context, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== WS_PATH) return refuseUpgrade(socket, '404 Not Found');
  if (!hasOurHost(request, context.port)) return refuseUpgrade(socket, '403 Forbidden');
  if (request.headers.origin !== `http://127.0.0.1:${context.port}`) return refuseUpgrade(socket, '403 Forbidden');
  if (!isTokenValid(context.token, url.searchParams.get(TOKEN_PARAM))) return refuseUpgrade(socket, '401 Unauthorized');
  context.wss.handleUpgrade(request, socket, head, (ws) => context.hub.add(ws));
}

function plain(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

async function onRequest(context: Context, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const headers = securityHeaders(context.port);
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (!hasOurHost(request, context.port)) return plain(response, 403, 'forbidden', headers);
  if (url.pathname === UPLOAD_PATH) {
    const origin = request.headers.origin;
    if (request.method !== 'PUT') return plain(response, 405, 'method not allowed', headers);
    if (origin !== undefined && origin !== `http://127.0.0.1:${context.port}`) return plain(response, 403, 'forbidden', headers);
    if (!isTokenValid(context.token, url.searchParams.get(TOKEN_PARAM))) return plain(response, 401, 'unauthorized', headers);
    const { stagingDir, maxUploadBytes = MAX_UPLOAD_BYTES } = context.options;
    const rawName = url.searchParams.get('name') ?? 'file';
    const onStaged = (path: string) => context.grants.grantFiles([path]);
    return receiveUpload({ request, response, stagingDir, rawName, headers, maxBytes: maxUploadBytes, onStaged });
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'method not allowed', headers);
  if (url.pathname === DOWNLOAD_PATH) return await onDownload(context, request, response, url);
  return serveStatic(context.options.staticDir, request, response, headers);
}

/** The same guard as the upload's: our Origin when one is sent, and the token; then only a done incoming transfer's file. */
async function onDownload(context: Context, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const headers = securityHeaders(context.port);
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${context.port}`) return plain(response, 403, 'forbidden', headers);
  if (!isTokenValid(context.token, url.searchParams.get(TOKEN_PARAM))) return plain(response, 401, 'unauthorized', headers);
  const path = downloadableFile(await context.options.core.handlers['transfer.list'](), url.searchParams.get('id'));
  if (!path) return plain(response, 404, 'no finished received file with that id', headers);
  await serveDownload({ path, isHead: request.method === 'HEAD', response, headers });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closer(server: Server, hub: SocketHub, wss: WebSocketServer): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      hub.dispose();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
}

/** Starts the web host on 127.0.0.1 and resolves once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  await mkdir(options.stagingDir, { recursive: true, mode: 0o700 });
  const grants = createPathGrants({ folders: options.downloadDir === undefined ? [] : [options.downloadDir] });
  const core = guardTransferPaths(options.core.handlers, grants);
  const handlers = joinHandlers(core, { ...createHeadlessHostHandlers('web', 'in the browser'), ...options.host });
  const token = newToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  const hub = new SocketHub(options.core, handlers);
  const server = createServer();
  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    hub.dispose();
    wss.close();
    throw error;
  }
  const context: Context = { options, token, port, wss, hub, grants };
  server.on('request', (request, response) => {
    onRequest(context, request, response).catch(() => response.destroy());
  });
  server.on('upgrade', (request, socket, head) => onUpgrade(context, request, socket, head));
  return { url: `http://127.0.0.1:${port}/?${TOKEN_PARAM}=${token}`, port, token, close: closer(server, hub, wss) };
}
