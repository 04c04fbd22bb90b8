/**
 * XEP-0066: Out of Band Data, version 1.5 (2006-08-16)
 * https://xmpp.org/extensions/xep-0066.html
 *
 * `jabber:x:oob` only (§2 "jabber:x:oob"): the link a message carries after an HTTP upload (XEP-0363 §2
 * leaves the distribution of the URL open; Conversations, Dino, Gajim and Kontalk use this). The
 * `jabber:iq:oob` request-response of §1 is not spoken. Seed 002 (Kontalk) adds a `type` attribute on
 * `<url/>` with the media type of the resource; it is read and written when known.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr, readMediaType } from './attributes';
import { readHttpUrl } from './httpUrls';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { MAX_DESCRIPTION_LENGTH } from './xep0096FileTransfer';

export const NS_OOB = 'jabber:x:oob';

/** A link as an `<x xmlns='jabber:x:oob'/>` carries it. */
export interface OobLink {
  /** http or https only (§7 allows any URI scheme; Ferry follows no other). */
  url: string;
  /** The seed 002 `type` on `<url/>`; null when absent or not a media type. */
  mediaType: string | null;
  /** The `<desc/>` text ('' when absent), cut to MAX_DESCRIPTION_LENGTH. */
  description: string;
}

function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `<x xmlns='jabber:x:oob'><url type?>…</url><desc>…</desc>?</x>`. §2: "the <x/> child MUST contain a
 * <url/> child specifying the URL of the resource, and MAY contain an optional <desc/> child".
 */
export function buildOob(link: OobLink): Element {
  if (readHttpUrl(link.url, 'web') !== link.url) throw new RangeError('an OOB link needs an http(s) URL as read back');
  return xml('x', { xmlns: NS_OOB },
    xml('url', { type: link.mediaType ?? undefined }, link.url),
    ...(link.description ? [xml('desc', {}, link.description)] : []));
}

/**
 * Reads an `<x xmlns='jabber:x:oob'/>`. Without a `<url/>` it is malformed (bad-request); a URL that is
 * not http(s), or that httpUrls.ts refuses (credentials, bidi or control characters, too long), is
 * not-acceptable: a valid link Ferry will not follow.
 */
export function parseOob(x: Element): ParseResult<OobLink> {
  if (!x.is('x', NS_OOB)) return invalid('not an OOB x');
  const urlElement = x.getChild('url', NS_OOB);
  if (!urlElement) return invalid('OOB x without a url (MUST contain a <url/>)');
  const url = readHttpUrl(urlElement.getText(), 'web');
  if (!url) return invalid('OOB url is not an http(s) URL Ferry follows', 'not-acceptable');
  const description = capText(x.getChildText('desc', NS_OOB)?.trim() ?? '', MAX_DESCRIPTION_LENGTH);
  return parsed({ url, mediaType: readMediaType(urlElement, 'type'), description });
}

/**
 * The children of a message that shares a file by link, as Conversations sends them: a `<body/>` equal
 * to the URL (so that clients without OOB still show the link) and the `<x/>`.
 */
export function buildFileLinkChildren(link: OobLink): Element[] {
  return [xml('body', {}, link.url), buildOob(link)];
}

/**
 * The file link a `<message/>` carries, or null when it is not one: exactly one readable `jabber:x:oob`
 * link, and either no `<body/>` (Kontalk, seed 002) or bodies that are all the URL itself
 * (Conversations, Dino, Gajim). A message whose body says something else merely mentions a URL (§2's
 * own example) and stays a chat message. Error messages are never file links.
 */
export function readFileLink(message: Element): OobLink | null {
  if (message.getName() !== 'message' || readAttr(message, 'type') === 'error') return null;
  const oobs = message.getChildren('x', NS_OOB);
  if (oobs.length !== 1) return null;
  const link = parseOob(oobs[0]);
  if (!link.ok) return null;
  const bodies = message.getChildElements().filter((child) => child.getName() === 'body');
  return bodies.every((body) => body.getText().trim() === link.value.url) ? link.value : null;
}
