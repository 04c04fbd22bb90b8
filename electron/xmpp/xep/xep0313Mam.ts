/**
 * XEP-0313: Message Archive Management, version 1.1.1 (2024-03-20)
 * https://xmpp.org/extensions/xep-0313.html
 *
 * Querying one's own archive (namespace urn:xmpp:mam:2): the query with its filter form and RSM page,
 * the `<result/>` messages the archive sends back, and the `<fin/>` that ends a page.
 */
import xml, { type Element } from '@xmpp/xml';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { buildDataForm } from './xep0004DataForms';
import { buildRsmSet, readRsmSet, type RsmPage, type RsmRequest } from './xep0059Rsm';
import { readForwarded } from './xep0297Forward';

export const NS_MAM = 'urn:xmpp:mam:2';

/** Longest archive id kept (ids are UUIDs or short base64 in practice). */
const MAX_ID_LENGTH = 256;

export interface MamQuery {
  /** Our id for this query; every result of it carries it back (§4.1.2). */
  queryId: string;
  /** Only messages with this bare JID (§4.1.1 'with'). */
  with?: string;
  page: RsmRequest;
}

/** One archived message. */
export interface MamResult {
  /** The archive's id of it (the same id the server stamps as `<stanza-id by=account/>`, XEP-0313 §3.1). */
  archiveId: string;
  message: Element;
  /** The forwarded `<delay/>` stamp: when the archive saw the message. */
  stamp: number | null;
}

/** The end of one page. */
export interface MamFin extends RsmPage {
  /** `complete='true'` on the fin (§4.3): the last page of the results has been reached. */
  isComplete: boolean;
}

/**
 * `<iq type='set'><query xmlns='urn:xmpp:mam:2' queryid>…</query></iq>` to one's own archive (no `to`:
 * the account's server). §4.1.1: the filters are a data form whose FORM_TYPE is urn:xmpp:mam:2.
 */
export function buildMamQuery(query: MamQuery): Element {
  const fields = query.with ? [{ var: 'with', type: '', values: [query.with] }] : [];
  return xml('iq', { type: 'set' },
    xml('query', { xmlns: NS_MAM, queryid: query.queryId },
      buildDataForm({ type: 'submit', formType: NS_MAM, fields }),
      buildRsmSet(query.page)));
}

/** True when a message carries a MAM `<result/>` (whatever its origin: check it with readMamResult). */
export function isMamResult(message: Element): boolean {
  return Boolean(message.getChild('result', NS_MAM));
}

/**
 * Reads a result message of the query `queryId` from the archive of `ownBare`. Security considerations: results
 * are only trusted from the archive that was queried: the user's own archive sends them with no `from`
 * or from the user's bare JID; anything else may be a contact forging history, and is refused. A result
 * whose queryid is not the one sent (§4.1.2: the server echoes the query's queryid in each result) is
 * refused as well, so a replayed or injected result never reaches the store.
 */
export function readMamResult(message: Element, options: { ownBare: string; queryId: string }): ParseResult<MamResult> {
  const results = message.getChildren('result', NS_MAM);
  if (results.length !== 1) return invalid('a MAM result message holds exactly one result');
  const from = message.attrs.from;
  if (from !== undefined && (typeof from !== 'string' || from.toLowerCase() !== options.ownBare.toLowerCase())) {
    return invalid(`a MAM result from ${String(from)}, not from the account's own archive`, 'forbidden');
  }
  const result = results[0];
  if (result.attrs.queryid !== options.queryId) return invalid('a MAM result of a query Ferry did not send', 'forbidden');
  const archiveId = result.attrs.id;
  if (typeof archiveId !== 'string' || archiveId === '' || archiveId.length > MAX_ID_LENGTH) return invalid('a MAM result without a usable id');
  const forwarded = readForwarded(result.getChild('forwarded'));
  if (!forwarded.ok) return forwarded;
  return parsed({ archiveId, message: forwarded.value.message, stamp: forwarded.value.stamp });
}

/** Reads the `<fin/>` of a query's IQ result; a reply without one is malformed. */
export function readMamFin(iqResult: Element): ParseResult<MamFin> {
  const fin = iqResult.getChild('fin', NS_MAM);
  if (!fin) return invalid('the archive answered without a fin');
  return parsed({ isComplete: fin.attrs.complete === 'true', ...readRsmSet(fin.getChild('set')) });
}
