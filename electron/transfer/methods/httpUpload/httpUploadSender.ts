import { hostOf } from '../../../xmpp/xep/httpUrls';
import { randomUUID } from 'node:crypto';
import xml from '@xmpp/xml';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { buildSlotRequest, NS_HTTP_UPLOAD, parseSlot, parseUploadRefusal, type Slot } from '../../../xmpp/xep/xep0363HttpUpload';
import { buildFileLinkChildren } from '../../../xmpp/xep/xep0066Oob';
import { uploadFile } from '../../../transport/http/httpUpload';
import { abortable } from '../../streams/abortable';
import type { ServerSendContext } from '../types';
import { describeRefusal } from './uploadRefusal';

/** How long the upload service may take to hand out a slot. */
const SLOT_TIMEOUT_MS = 30_000;


/**
 * XEP-0363 as a sender: a slot from the service (§4), the PUT with the slot's headers streamed from disk
 * (progress from the bytes the socket took), then the link to the peer in the body and in `jabber:x:oob`
 * (as Conversations, Dino and Gajim send it). Ends the record in every case: done once the link is sent
 * (the peer downloads it whenever it accepts; nothing tells us when), failed with the service's refusal or
 * the HTTP error in plain words, cancelled on a user's cancel.
 */
export async function runHttpUpload(ctx: ServerSendContext): Promise<void> {
  const { record, service } = ctx;
  record.setMethod('http-upload', 'http');
  try {
    const slot = await requestSlot(ctx);
    record.log({ method: 'http-upload', transport: 'http', outcome: 'started', reason: '', detail: `slot from ${service.jid}: PUT to ${hostOf(slot.putUrl)}` });
    record.setState('transferring');
    await uploadFile({
      method: 'PUT', url: slot.putUrl, path: ctx.path, size: record.file.size, contentType: record.file.mediaType,
      headers: Object.fromEntries(slot.headers.map((h) => [h.name, h.value])), signal: ctx.signal,
      stallTimeoutMs: ctx.timings.stallTimeoutMs, onProgress: (sent) => record.progress(sent),
    }).catch((error: unknown) => { throw new Error(`the upload to ${hostOf(slot.putUrl)} failed: ${(error as Error).message}`, { cause: error }); });
    const link = { url: slot.getUrl, mediaType: record.file.mediaType, description: '' };
    await ctx.xmpp.send(xml('message', { to: ctx.to, type: 'chat', id: randomUUID() }, ...buildFileLinkChildren(link)));
    record.setUrl(slot.getUrl);
    record.log({ method: 'http-upload', transport: 'http', outcome: 'succeeded', reason: '', detail: `uploaded; link sent to ${ctx.to}` });
    record.end('done', { hash: 'none' });
  } catch (error) {
    const reason = ctx.signal.aborted ? 'cancelled' : (error as Error).message;
    record.log({ method: 'http-upload', transport: 'http', outcome: 'failed', reason, detail: `upload via ${service.jid}` });
    record.end(ctx.signal.aborted ? 'cancelled' : 'failed', { reason });
  }
}

async function requestSlot(ctx: ServerSendContext): Promise<Slot> {
  const { record, service } = ctx;
  const request = buildSlotRequest({ filename: record.file.name, size: record.file.size, contentType: record.file.mediaType });
  let reply;
  try {
    reply = await abortable(ctx.xmpp.request(xml('iq', { type: 'get', to: service.jid }, request), SLOT_TIMEOUT_MS), ctx.signal);
  } catch (error) {
    const refusal = error instanceof XmppStanzaError && error.element ? parseUploadRefusal(error.element) : null;
    throw new Error(refusal ? describeRefusal(service.jid, refusal) : `${service.jid} gave no upload slot: ${(error as Error).message}`, { cause: error });
  }
  const slot = reply.getChild('slot', NS_HTTP_UPLOAD);
  const parsedSlot = slot ? parseSlot(slot) : null;
  if (!parsedSlot?.ok) throw new Error(`${service.jid} answered with an unusable slot${parsedSlot ? `: ${parsedSlot.error.text}` : ''}`);
  return parsedSlot.value;
}
