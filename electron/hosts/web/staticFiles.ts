import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The real path of the file a URL path names inside root, or null when it names nothing servable:
 * anything that decodes badly, holds NUL or a backslash, resolves (also through symlinks) outside root,
 * or is not a regular file. `/` means `/index.html`.
 */
export async function resolveStaticPath(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  try {
    const realRoot = await realpath(root);
    const real = await realpath(resolve(realRoot, `.${relative}`));
    if (!real.startsWith(realRoot + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** Serves GET/HEAD for files under root with the given headers; 404 for anything else. */
export async function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const urlPath = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  const file = await resolveStaticPath(root, urlPath);
  if (!file) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const cache = type.startsWith('text/html') ? 'no-store' : 'no-cache';
  response.writeHead(200, { ...headers, 'Content-Type': type, 'Cache-Control': cache });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
