import { randomBytes, randomUUID } from 'node:crypto';
import xml from '@xmpp/xml';
import { buildKontalkThumbnail, buildKontalkUploadRequest, MAX_KONTALK_THUMBNAIL_BYTES, NS_KONTALK_UPLOAD, parseKontalkUploadAnswer } from '../../../xmpp/xep/kontalkUpload';
import { buildOob } from '../../../xmpp/xep/xep0066Oob';
import { hostOf, readHttpUrl } from '../../../xmpp/xep/httpUrls';
import { uploadFile } from '../../../transport/http/httpUpload';
import { makeThumbnail } from '../../thumbnails/makeThumbnail';
import { abortable } from '../../streams/abortable';
import type { ServerSendContext } from '../types';

const UPLOAD_IQ_TIMEOUT_MS = 30_000;
/** The thumbnail in the message: small enough to leave the stanza well under the server's limit. */
const THUMBNAIL_MAX_BYTES = Math.min(16 * 1024, MAX_KONTALK_THUMBNAIL_BYTES);


/**
 * Seed 002 as a sender: the upload IQ (`<media type/>`) for the service's URI, the raw body POSTed with
 * Content-Type the media type (streamed from disk), the download URL from the response body (or its
 * Location), then the `<message/>` exactly as the seed shows it: the `jabber:x:oob` `<url type/>` and, for
 * images, a thumbnail as an IBB `<data seq='0' type sid/>` direct child; no body.
 */
export async function runKontalkUpload(ctx: ServerSendContext): Promise<void> {
  const { record, service } = ctx;
  const mediaType = record.file.mediaType;
  record.setMethod('kontalk', 'http');
  try {
    if (!service.node) throw new Error(`${service.jid} has no Kontalk upload node`);
    const answer = await abortable(ctx.xmpp.request(
      xml('iq', { type: 'set', to: service.jid }, buildKontalkUploadRequest({ node: service.node, mediaType })), UPLOAD_IQ_TIMEOUT_MS,
    ), ctx.signal).catch((error: unknown) => { throw new Error(`${service.jid} gave no upload address: ${(error as Error).message}`, { cause: error }); });
    const upload = answer.getChild('upload', NS_KONTALK_UPLOAD);
    const parsed = upload ? parseKontalkUploadAnswer(upload) : null;
    if (!parsed?.ok) throw new Error(`${service.jid} answered without an upload address`);
    record.log({ method: 'kontalk', transport: 'http', outcome: 'started', reason: '', detail: `POST to ${hostOf(parsed.value.uri)}` });
    const thumbnail = ctx.thumbnail && mediaType.startsWith('image/') ? makeThumbnail(ctx.path, { maxBytes: THUMBNAIL_MAX_BYTES }) : Promise.resolve(null);
    record.setState('transferring');
    const result = await uploadFile({
      method: 'POST', url: parsed.value.uri, path: ctx.path, size: record.file.size, contentType: mediaType, headers: {},
      signal: ctx.signal, stallTimeoutMs: ctx.timings.stallTimeoutMs, onProgress: (sent: number) => record.progress(sent),
    }).catch((error: unknown) => { throw new Error(`the upload to ${hostOf(parsed.value.uri)} failed: ${(error as Error).message}`, { cause: error }); });
    const url = readHttpUrl(result.body.trim(), 'web') ?? readHttpUrl(result.location, 'web');
    if (!url) throw new Error(`${hostOf(parsed.value.uri)} accepted the file but sent no download URL`);
    const preview = await thumbnail;
    const children = [buildOob({ url, mediaType, description: '' })];
    if (preview) children.push(buildKontalkThumbnail({ sid: randomBytes(8).toString('hex'), bytes: preview.bytes }));
    await ctx.xmpp.send(xml('message', { to: ctx.to, type: 'chat', id: randomUUID() }, ...children));
    record.setUrl(url);
    record.log({
      method: 'kontalk', transport: 'http', outcome: 'succeeded', reason: '',
      detail: `uploaded; link sent to ${ctx.to}${preview ? ` with a ${preview.bytes.length}-byte thumbnail` : ''}`,
    });
    record.end('done', { hash: 'none' });
  } catch (error) {
    const reason = ctx.signal.aborted ? 'cancelled' : (error as Error).message;
    record.log({ method: 'kontalk', transport: 'http', outcome: 'failed', reason, detail: `upload via ${service.jid}` });
    record.end(ctx.signal.aborted ? 'cancelled' : 'failed', { reason });
  }
}
