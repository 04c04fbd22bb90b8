/**
 * XEP-0203: Delayed Delivery, version 2.0 (2009-09-15)
 * https://xmpp.org/extensions/xep-0203.html
 *
 * Read only: the original time of a message that was stored and delivered later (offline storage, a
 * forwarded archive result). Times are XEP-0082 DateTime.
 */
import type { Element } from '@xmpp/xml';

export const NS_DELAY = 'urn:xmpp:delay';

/** XEP-0082 §3.3 DateTime: CCYY-MM-DDThh:mm:ss[.sss]TZD, TZD = 'Z' or ±hh:mm. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Reads an XEP-0082 DateTime as ms since the epoch; null when it is not one (a time zone is required). */
export function readDateTime(text: string): number | null {
  if (text.length > 40 || !DATE_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The stamp of the `<delay/>` child of a stanza, in ms since the epoch; null when there is none or its
 * stamp is not a DateTime. §2: "The format MUST adhere to the dateTime format specified in XEP-0082 and
 * MUST be expressed in UTC" (a stamp with an offset is still read correctly). When several delays are
 * present (a message stored by more than one hop) the earliest is the original time.
 */
export function readDelayStamp(stanza: Element): number | null {
  const stamps = stanza.getChildren('delay', NS_DELAY)
    .map((delay) => (typeof delay.attrs.stamp === 'string' ? readDateTime(delay.attrs.stamp) : null))
    .filter((stamp): stamp is number => stamp !== null);
  return stamps.length > 0 ? Math.min(...stamps) : null;
}
