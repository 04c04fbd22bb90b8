/**
 * The web host's `GET /download?id=`: the file of a finished incoming transfer, streamed to the page with
 * its length and its saved name. Only transfers the core lists as done and incoming are served, found by
 * id; the page never names a path.
 */
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sanitizeFileName } from '../../../shared/model/safeName';
import type { TransferSummary } from '../../../shared/model/transfer';

/**
 * `attachment` with the name twice (RFC 6266 §4.3): `filename` as ASCII for old agents, `filename*` in
 * UTF-8 percent-encoding (RFC 8187 §3.2.1: attr-char only, so `'()*` are encoded too). Hand-written: no
 * content-disposition package is installed and these two lines are the whole rule.
 */
export function contentDisposition(name: string): string {
  const safe = sanitizeFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function refuse(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

/** The finished received file with that id, or null (unknown, outgoing, not done, no path). */
export function downloadableFile(transfers: readonly TransferSummary[], id: string | null): string | null {
  const transfer = transfers.find((t) => t.id === id);
  if (!transfer || transfer.direction !== 'incoming' || transfer.state !== 'done' || !transfer.path) return null;
  return transfer.path;
}

/**
 * Streams `path` with Content-Length from the open file's size (a file that grows meanwhile is cut there),
 * as application/octet-stream under nosniff, so the page never renders what a peer sent. A file deleted since
 * it arrived is 410; a read error mid-way drops the connection (the browser sees an incomplete download).
 */
export async function serveDownload(options: { path: string; isHead: boolean; response: ServerResponse; headers: Record<string, string> }): Promise<void> {
  const { path, response, headers } = options;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return refuse(response, 410, 'that file is no longer in the download folder', headers);
  }
  try {
    const { size } = await handle.stat();
    response.writeHead(200, {
      ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(size),
      'Content-Disposition': contentDisposition(basename(path)), 'Cache-Control': 'no-store',
    });
    if (options.isHead || size === 0) {
      response.end();
      return;
    }
    await pipeline(handle.createReadStream({ start: 0, end: size - 1, autoClose: false }), response);
  } catch {
    response.destroy();
  } finally {
    await handle.close().catch(() => undefined);
  }
}
