import { toBareJid } from '../../../../shared/model/jid';
import { readFileLink } from '../../../xmpp/xep/xep0066Oob';
import { MAX_KONTALK_THUMBNAIL_BYTES, readKontalkThumbnail, type KontalkThumbnail } from '../../../xmpp/xep/kontalkUpload';
import type { ThumbnailInfo } from '../../../../shared/model/transfer';
import { checkReceivedThumbnail } from '../../thumbnails/receivedThumbnail';
import type { MethodEnvironment } from '../types';
import { IncomingLinkTransfer } from './incomingLink';
import { linkFileName } from './linkName';

/**
 * Messages that share a file by link (xep0066Oob.ts readFileLink: Conversations, Dino, Gajim, Kontalk,
 * Ferry) become incoming offers like any other: the same accept policy and offer bounds, never fetched
 * before an accept. Our own messages (another device's, reflected) are not offers. Returns dispose.
 */
export function registerLinkReceiver(env: MethodEnvironment): () => void {
  return env.xmpp.onMessage((stanza) => {
    const from = stanza.attrs.from;
    if (typeof from !== 'string' || stanza.attrs.type === 'groupchat') return;
    const own = env.xmpp.jid;
    if (own && toBareJid(own) === toBareJid(from)) return;
    const link = readFileLink(stanza);
    if (!link) return;
    const file = { name: linkFileName(link.url, link.mediaType), size: 0, mediaType: link.mediaType ?? 'application/octet-stream', date: null, description: link.description, md5: null };
    // The thumbnail beside the link (seed 002) is checked and re-encoded before the offer shows, so the
    // offer and its card carry it from the start; a bad one is left out, the link is still offered.
    const sent = readKontalkThumbnail(stanza);
    void (sent ? previewOf(sent) : Promise.resolve(undefined)).then((thumbnail) => {
      try {
        env.host.offer({ method: 'oob', from, file, url: link.url, thumbnail }, (deps) => new IncomingLinkTransfer(deps, { url: link.url, fromBare: toBareJid(from) }));
      } catch {
        // Over the offer bounds (a flood of links): a message has no error to answer with, so it is dropped.
      }
    });
  });
}

async function previewOf(sent: KontalkThumbnail): Promise<ThumbnailInfo | undefined> {
  const shown = await checkReceivedThumbnail(sent.bytes, { maxBytes: MAX_KONTALK_THUMBNAIL_BYTES }).catch(() => null);
  return shown ? { mediaType: sent.mediaType, bytes: sent.bytes.length, png: Buffer.from(shown.bytes).toString('base64') } : undefined;
}
