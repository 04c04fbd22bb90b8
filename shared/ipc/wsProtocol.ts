/**
 * The web host's framing of the contract over its loopback WebSocket (`ws://127.0.0.1:P/ws?token=T`).
 * One JSON object per WebSocket message.
 */
import type { EventName } from './contract';
import type { WireError } from './wireError';

/** renderer → host */
export interface WsInvoke {
  type: 'invoke';
  /** chosen by the client, echoed in the result */
  id: number;
  name: string;
  args: unknown;
}

/** host → renderer */
export type WsResult =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError };

/** host → renderer */
export interface WsEvent {
  type: 'event';
  name: EventName;
  payload: unknown;
}

export type WsServerMessage = WsResult | WsEvent;

/** Path of the WebSocket endpoint and of the file staging endpoint (web host only). */
export const WS_PATH = '/ws';
/**
 * `PUT /upload?token=T&name=N` with the file's bytes as the body stores it in the host's staging folder
 * and answers `{"path": "..."}`: how a browser, which cannot reveal local paths, hands files to transfer.send.
 */
export const UPLOAD_PATH = '/upload';
/**
 * `GET /download?token=T&id=ID` answers the file of a finished incoming transfer as an attachment (the web
 * host's "Download": a browser cannot open the host's files itself). Nothing else is ever served there.
 */
export const DOWNLOAD_PATH = '/download';
export const TOKEN_PARAM = 'token';
