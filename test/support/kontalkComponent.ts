/**
 * A Kontalk upload service for tests, after seed 002 (/work/shared/seeds/002_1c5e9727ecc0d1b3.txt,
 * "== Sending =="), as an external component of the test Prosody. No public server runs one.
 *
 * - disco#info lists `http://www.kontalk.org/extensions/message#upload` with the seed's identity;
 * - disco#items on that node lists the seed's two services (kontalkbox, dropbox) with the component's JID;
 * - `<upload node><media type/></upload>` (IQ-set) is answered with the same `<upload node>` and a `<uri/>`
 *   on the component's own HTTP server;
 * - "Client then connects to the KontalkBox service for uploading the file. The upload service will return a
 *   URL pointing to the uploaded item": a POST of the raw file (Content-Type: the media type) to that URI is
 *   streamed to a temp file and answered 200 with the download URL as its text/plain body (the seed names no
 *   header, so there is no Location);
 * - a GET of that URL serves the file with its Content-Type, Content-Length and single byte ranges (206).
 *
 * The XML is written here from the seed's text, on purpose not with electron/xmpp/xep/kontalkUpload.ts, so
 * that a misreading of the seed there is not repeated here. Faults: KontalkFaults.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element } from '@xmpp/xml';
import { answer, discardBody, parseRange, saveBody, startTestHttpServer, writeBody, type ByteRange } from './testHttpServer';
import { componentError, componentXml as xml, connectTestComponent, discoInfoQuery, NS_DISCO_INFO, NS_DISCO_ITEMS, type ComponentConnectOptions, type ComponentError } from './xmppComponent';

export const NS_KONTALK_UPLOAD = 'http://www.kontalk.org/extensions/message#upload';

/** The seed's disco#items answer, "<item node='kontalkbox' … name='Kontalk dropbox service'/> <item node='dropbox' … name='Dropbox service'/>". */
export const KONTALK_SERVICES = [
  { node: 'kontalkbox', name: 'Kontalk dropbox service', uploadPath: '/media/upload' },
  { node: 'dropbox', name: 'Dropbox service', uploadPath: '/dropbox/upload' },
] as const;

/** Downloads live under /media/, as the seed's `http://prime.kontalk.net/media/filename_or_hash`. */
const MEDIA_PREFIX = '/media/';
const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;

/** Ways to misbehave, for tests of Ferry's error paths. */
export interface KontalkFaults {
  /** Answer every upload IQ with this error instead of a `<uri/>`. */
  uploadError?: ComponentError;
  /** Answer every POST with this status (the body is read and dropped). */
  postStatus?: 413 | 500;
  /** A POST larger than this (by Content-Length, or once streamed past it) gets 413. */
  maxUploadBytes?: number;
  /** Every GET is cut (the connection destroyed) after this many body bytes. */
  cutGetAfterBytes?: number;
  /**
   * Serve a file this many bytes longer (zero bytes appended) or shorter (cut) than what was uploaded,
   * with a Content-Length that matches what is served: a download whose length disagrees with the one
   * the sender announced.
   */
  servedLengthDelta?: number;
}

export interface KontalkComponentOptions extends ComponentConnectOptions, KontalkFaults {}

/** An upload IQ as the component received it. */
export interface KontalkUploadRequest {
  from: string;
  node: string | null;
  mediaType: string | null;
}

/** What one POST stored. */
export interface KontalkUpload {
  /** The service whose upload URI was used. */
  node: string;
  /** The POST's Content-Type. */
  mediaType: string;
  /** Bytes received. */
  bytes: number;
  sha256: string;
  /** The temp file holding them. */
  path: string;
  /** The download URL the POST was answered with. */
  url: string;
}

export interface KontalkComponent {
  readonly jid: string;
  readonly httpPort: number;
  readonly uploadRequests: readonly KontalkUploadRequest[];
  readonly uploads: readonly KontalkUpload[];
  /** Disconnects, closes the HTTP server and deletes the stored files. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the component (the test Prosody must list `{ jid, secret }` in its components). */
export async function startKontalkComponent(options: KontalkComponentOptions): Promise<KontalkComponent> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kontalk-'));
  const uploads: KontalkUpload[] = [];
  const uploadRequests: KontalkUploadRequest[] = [];
  const http = await startTestHttpServer((req, res) => serveHttp({ req, res, options, dir, uploads, url: (path) => http.url(path) }));
  const entity = await connectTestComponent(options).catch(async (error: unknown) => {
    await http.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });

  entity.get(NS_DISCO_INFO, 'query', ({ element }) => {
    if (element.attrs.node !== undefined) return componentError({ type: 'cancel', condition: 'item-not-found' });
    // RECV: <identity category='server' type='im' name='kontalk'/> … <feature var='…message#upload'/>
    return discoInfoQuery({ category: 'server', type: 'im', name: 'kontalk' }, [NS_DISCO_ITEMS, NS_KONTALK_UPLOAD]);
  });
  entity.get(NS_DISCO_ITEMS, 'query', ({ element }) => servicesQuery(element, options.jid));
  entity.set(NS_KONTALK_UPLOAD, 'upload', ({ element, from }) => {
    const node = typeof element.attrs.node === 'string' ? element.attrs.node : null;
    const mediaType = element.getChild('media')?.attrs.type;
    uploadRequests.push({ from: String(from), node, mediaType: typeof mediaType === 'string' ? mediaType : null });
    if (options.uploadError) return componentError(options.uploadError);
    const service = KONTALK_SERVICES.find((s) => s.node === node);
    if (!service) return componentError({ type: 'cancel', condition: 'item-not-found', text: 'no such upload service' });
    if (typeof mediaType !== 'string' || mediaType === '') return componentError({ type: 'modify', condition: 'bad-request', text: 'an upload needs <media type/>' });
    // RECV: <upload xmlns='…message#upload' node='kontalkbox'><uri>http://www.kontalk.org/media/upload</uri></upload>
    return xml('upload', { xmlns: NS_KONTALK_UPLOAD, node: service.node }, xml('uri', {}, http.url(service.uploadPath)));
  });

  let stopping: Promise<void> | null = null;
  return {
    jid: options.jid,
    httpPort: http.port,
    uploadRequests,
    uploads,
    stop() {
      stopping ??= Promise.all([entity.stop(), http.stop()]).then(() => rmSync(dir, { recursive: true, force: true }));
      return stopping;
    },
  };
}

/** "request items for available upload services": the seed's items on its node; nothing elsewhere. */
function servicesQuery(query: Element, jid: string): Element {
  const node = query.attrs.node;
  if (node === undefined) return xml('query', { xmlns: NS_DISCO_ITEMS });
  if (node !== NS_KONTALK_UPLOAD) return componentError({ type: 'cancel', condition: 'item-not-found' });
  return xml('query', { xmlns: NS_DISCO_ITEMS, node: NS_KONTALK_UPLOAD },
    ...KONTALK_SERVICES.map((service) => xml('item', { node: service.node, jid, name: service.name })));
}

interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  options: KontalkFaults;
  dir: string;
  uploads: KontalkUpload[];
  url(path: string): string;
}

async function serveHttp(context: HttpContext): Promise<void> {
  const { req, res } = context;
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const service = KONTALK_SERVICES.find((s) => s.uploadPath === path);
  if (req.method === 'POST' && service) return await receiveUpload(context, service.node);
  const upload = path.startsWith(MEDIA_PREFIX) ? context.uploads.find((u) => new URL(u.url).pathname === path) : undefined;
  discardBody(req);
  if (!upload) return answer(res, 404, 'not found');
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  await serveDownload(context, upload);
}

async function receiveUpload(context: HttpContext, node: string): Promise<void> {
  const { req, res, options } = context;
  const maxBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const mediaType = req.headers['content-type'];
  if (options.postStatus !== undefined) {
    discardBody(req);
    return answer(res, options.postStatus, options.postStatus === 413 ? 'too large' : 'upload failed');
  }
  if (mediaType === undefined || mediaType === '') {
    discardBody(req);
    return answer(res, 400, 'Content-Type (the media type) is needed');
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    discardBody(req);
    return answer(res, 413, `larger than ${maxBytes} bytes`);
  }
  const id = randomUUID();
  const path = join(context.dir, id);
  const saved = await saveBody(req, path, maxBytes);
  if (!saved.ok) {
    rmSync(path, { force: true });
    if (saved.reason === 'too-large') answer(res, 413, `larger than ${maxBytes} bytes`);
    return;
  }
  const url = context.url(`${MEDIA_PREFIX}${id}`);
  context.uploads.push({ node, mediaType, bytes: saved.bytes, sha256: saved.sha256, path, url });
  answer(res, 200, url); // "The upload service will return a URL pointing to the uploaded item."
}

async function serveDownload(context: HttpContext, upload: KontalkUpload): Promise<void> {
  const { req, res, options } = context;
  const stored = statSync(upload.path).size;
  const size = Math.max(0, stored + (options.servedLengthDelta ?? 0));
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') return answer(res, 416, 'range not satisfiable', { 'Content-Range': `bytes */${size}` });
  const served: ByteRange | null = range ?? (size > 0 ? { start: 0, end: size - 1 } : null);
  const length = served ? served.end - served.start + 1 : 0;
  res.writeHead(range ? 206 : 200, {
    'Content-Type': upload.mediaType,
    'Content-Length': String(length),
    'Accept-Ranges': 'bytes',
    ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || !served) {
    res.end();
    return;
  }
  await writeBody(res, storedBytes(upload.path, stored, served), options.cutGetAfterBytes);
}

/** The bytes of `range` of the served file: the stored bytes, then zeros past their end (servedLengthDelta > 0). */
async function* storedBytes(path: string, stored: number, range: ByteRange): AsyncIterable<Buffer> {
  if (range.start < stored) {
    yield* createReadStream(path, { start: range.start, end: Math.min(range.end, stored - 1), highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>;
  }
  for (let at = Math.max(range.start, stored); at <= range.end; at += READ_CHUNK_BYTES) {
    yield Buffer.alloc(Math.min(READ_CHUNK_BYTES, range.end - at + 1));
  }
}
