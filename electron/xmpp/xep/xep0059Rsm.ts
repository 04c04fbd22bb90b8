/**
 * XEP-0059: Result Set Management, version 1.0 (2006-09-20)
 * https://xmpp.org/extensions/xep-0059.html
 *
 * The paging `<set/>` of archive queries (XEP-0313 §4.1.3): a request with max and after/before, and the
 * first/last ids of the page returned.
 */
import xml, { type Element } from '@xmpp/xml';

export const NS_RSM = 'http://jabber.org/protocol/rsm';

/** Longest item id kept from a reply (archive ids are short in practice). */
const MAX_ID_LENGTH = 256;

/**
 * A page request. `after`: the page following that id (§2.2). `before`: the page preceding that id, or,
 * when '', the last page (§2.5: "the requesting entity MAY ... include an empty <before/> element").
 */
export interface RsmRequest {
  max: number;
  after?: string;
  before?: string;
}

/** Where a returned page starts and ends (item ids), each null when the reply says nothing. */
export interface RsmPage {
  first: string | null;
  last: string | null;
}

export function buildRsmSet(request: RsmRequest): Element {
  return xml('set', { xmlns: NS_RSM },
    xml('max', {}, String(Math.max(0, Math.floor(request.max)))),
    ...(request.after !== undefined ? [xml('after', {}, request.after)] : []),
    ...(request.before !== undefined ? [xml('before', {}, request.before)] : []));
}

function readItemId(text: string | null | undefined): string | null {
  return typeof text === 'string' && text.length > 0 && text.length <= MAX_ID_LENGTH ? text : null;
}

/** Reads the `<set/>` of a reply; a missing set reads as an empty page. */
export function readRsmSet(set: Element | undefined): RsmPage {
  if (!set?.is('set', NS_RSM)) return { first: null, last: null };
  return { first: readItemId(set.getChildText('first')), last: readItemId(set.getChildText('last')) };
}
