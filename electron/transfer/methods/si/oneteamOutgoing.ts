import { hostOf } from '../../../xmpp/xep/httpUrls';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import xml from '@xmpp/xml';
import { uploadMultipart } from '../../../transport/http/multipartUpload';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import {
  buildOneteamActivate, NS_ONETEAM_BS_PROXY, ONETEAM_FORM_FIELDS, oneteamSidHash, parseOneteamActivated, readOneteamActivationFailure,
} from '../../../xmpp/xep/oneteamBsProxy';
import { NS_BYTESTREAMS, type Streamhost } from '../../../xmpp/xep/xep0065Bytestreams';
import { abortable } from '../../streams/abortable';
import { requestStreamhostUsed, splitOneteamProxies } from './s5bOutgoing';
import { NothingToOfferError, type DeliveredFile, type OutgoingContext, type OutgoingTransport } from './transportTypes';

/**
 * After the POST's answer: how long the sender waits for a Ferry receiver's receipt (oneteamReceipt.ts) before
 * it ends "uploaded, not confirmed" (another client sends none). The receiver's GET runs alongside the POST.
 */
const RECEIPT_WAIT_MS = 30_000;

/**
 * The OneTeam HTTP bytestream proxy as the sender (seed 000 I): offer the OneTeam proxies as streamhosts; after
 * the receiver's streamhost-used, activate with the bs-proxy `<x/>` (I.2), POST the file to the URL of
 * `<activated url/>` as multipart/form-data, SIDHASH then FILE (I.3), streamed from disk with an exact
 * Content-Length so the proxy's `<progress/>` is exact. The file is not resumable this way (the form carries
 * all of it), so a ranged accept skips it.
 */
export const oneteamOutgoing: OutgoingTransport = {
  name: 'oneteam',
  kind: 'oneteam',
  priority: 20,
  canUse: (ctx) => ['auto', 'oneteam'].includes(ctx.preference) && ctx.acceptedMethods.includes(NS_BYTESTREAMS)
    && !!ctx.sources.isOneteamProxy && (ctx.range?.offset ?? 0) === 0 && ctx.range?.length == null,
  open: sendThroughOneteam,
};

async function sendThroughOneteam(ctx: OutgoingContext): Promise<DeliveredFile> {
  const { oneteam } = await splitOneteamProxies(ctx);
  if (oneteam.length === 0) {
    if (ctx.preference === 'oneteam') throw new Error('no OneTeam HTTP proxy (http://oneteam.im/bs-proxy) is known');
    throw new NothingToOfferError('no OneTeam proxy');
  }
  const used = await requestStreamhostUsed(ctx, oneteam);
  const proxy = oneteam.find((p) => p.jid === used);
  if (!proxy) throw new Error(`peer used an unknown streamhost ${used}`);
  const uploadUrl = await activate(ctx, proxy);
  const { record } = ctx;
  record.setMethod('si', 'oneteam');
  record.setState('transferring');
  const inbox = ctx.receipts.listen();
  try {
    await upload(ctx, proxy, uploadUrl);
    const sha256 = await sha256OfFile(ctx.path);
    const receipt = await abortable(Promise.race([inbox.receipt, delay(RECEIPT_WAIT_MS)]), ctx.signal);
    if (receipt?.outcome === 'failed') throw new Error(`the receiver could not download it from ${proxy.jid}: ${receipt.reason}`);
    const how = receipt ? 'the receiver confirmed it' : `the receiver did not confirm it within ${RECEIPT_WAIT_MS / 1000} s`;
    return { transport: 'oneteam', sha256, detail: `HTTP via OneTeam proxy ${proxy.jid}: uploaded to ${hostOf(uploadUrl)}, ${how}` };
  } finally {
    inbox.dispose();
  }
}

/** I.2: the activation with `<x/>`; its `<activated url/>` says where to POST. The seed's errors in words. */
async function activate(ctx: OutgoingContext, proxy: Streamhost): Promise<string> {
  const iq = xml('iq', { type: 'set', to: proxy.jid }, buildOneteamActivate({ sid: ctx.sid, targetJid: ctx.target }));
  let result;
  try {
    result = await abortable(ctx.xmpp.request(iq, ctx.timings.s5bResultTimeoutMs), ctx.signal);
  } catch (error) {
    const failure = error instanceof XmppStanzaError && error.element ? readOneteamActivationFailure(error.element) : null;
    throw new Error(`OneTeam proxy ${proxy.jid} refused the HTTP activation${failure ? ` (${failure})` : ''}: ${(error as Error).message}`, { cause: error });
  }
  const activated = result.getChild('activated', NS_ONETEAM_BS_PROXY);
  const parsed = activated ? parseOneteamActivated(activated) : null;
  if (!parsed?.ok) throw new Error(`OneTeam proxy ${proxy.jid} gave no upload URL${parsed ? `: ${parsed.error.text}` : ''}`);
  return parsed.value.url;
}

/** I.3: fields SIDHASH then FILE; progress counts the file's bytes the socket took. */
async function upload(ctx: OutgoingContext, proxy: Streamhost, url: string): Promise<void> {
  const { record } = ctx;
  const sidHash = oneteamSidHash({ sid: ctx.sid, senderJid: ctx.ownJid, receiverJid: ctx.target });
  await uploadMultipart({
    url, fields: [[ONETEAM_FORM_FIELDS.sidHash, sidHash]], signal: ctx.signal, stallTimeoutMs: ctx.timings.stallTimeoutMs,
    file: { field: ONETEAM_FORM_FIELDS.file, filename: record.file.name, contentType: record.file.mediaType, path: ctx.path, size: record.file.size },
    onProgress: (sent) => record.progress(sent),
  }).catch((error: unknown) => {
    throw new Error(`the POST to OneTeam proxy ${proxy.jid} (${hostOf(url)}) failed: ${(error as Error).message}`, { cause: error });
  });
}

function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).once('error', reject).once('end', () => resolve(hash.digest('hex')));
  });
}

function delay(ms: number): Promise<null> {
  return new Promise((resolve) => { setTimeout(() => resolve(null), ms).unref(); });
}

