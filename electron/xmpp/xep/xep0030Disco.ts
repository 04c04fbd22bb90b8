// XEP-0030: Service Discovery — https://xmpp.org/extensions/xep-0030.html (version 2.5rc3)
// Pure: Element in, typed value out; typed value in, Element out.
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { buildDataForm, parseDataForms, type DataForm } from './xep0004DataForms';

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

/** An identity: category and type are required, name and xml:lang optional. */
export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

/** The answer to a disco#info query, including XEP-0128 extended info forms. */
export interface DiscoInfo {
  node?: string;
  identities: DiscoIdentity[];
  features: string[];
  forms: DataForm[];
}

/** One disco#items entry. */
export interface DiscoItem {
  jid: string;
  node?: string;
  name?: string;
}

/** `<query xmlns=disco#info [node]/>` for an IQ get (§3.1). */
export function buildInfoQuery(node?: string): Element {
  return xml('query', { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) });
}

/** `<query xmlns=disco#items [node]/>` for an IQ get (§4.1). */
export function buildItemsQuery(node?: string): Element {
  return xml('query', { xmlns: NS_DISCO_ITEMS, ...(node ? { node } : {}) });
}

/**
 * The result query. "If the request included a 'node' attribute, the response SHOULD mirror the specified
 * 'node' attribute" (§3.2): pass it in info.node.
 */
export function buildInfoResult(info: DiscoInfo): Element {
  return xml('query', { xmlns: NS_DISCO_INFO, ...(info.node ? { node: info.node } : {}) },
    ...info.identities.map((i) => xml('identity', {
      category: i.category, type: i.type, ...(i.name ? { name: i.name } : {}), ...(i.lang ? { 'xml:lang': i.lang } : {}),
    })),
    ...info.features.map((f) => xml('feature', { var: f })),
    ...info.forms.map(buildDataForm));
}

/** The items result query (§4.1). */
export function buildItemsResult(items: DiscoItem[], node?: string): Element {
  return xml('query', { xmlns: NS_DISCO_ITEMS, ...(node ? { node } : {}) },
    ...items.map((i) => xml('item', { jid: i.jid, ...(i.node ? { node: i.node } : {}), ...(i.name ? { name: i.name } : {}) })));
}

/**
 * Reads a disco#info `<query/>`. "Each <identity/> element MUST possess 'category' and 'type' attributes"
 * and "Each <feature/> element MUST possess a 'var' attribute" (§3.1): elements without them are skipped.
 */
export function parseInfo(query: Element): DiscoInfo {
  if (!query.is('query', NS_DISCO_INFO)) throw new Error('not a disco#info query');
  const identities = query.getChildren('identity')
    .filter((i) => i.attrs.category && i.attrs.type)
    .map((i) => ({
      category: String(i.attrs.category), type: String(i.attrs.type),
      ...(i.attrs.name !== undefined ? { name: String(i.attrs.name) } : {}),
      ...(i.attrs['xml:lang'] !== undefined ? { lang: String(i.attrs['xml:lang']) } : {}),
    }));
  const features = query.getChildren('feature').filter((f) => f.attrs.var).map((f) => String(f.attrs.var));
  const node = query.attrs.node === undefined ? {} : { node: String(query.attrs.node) };
  return { ...node, identities, features, forms: parseDataForms(query) };
}

/** Reads a disco#items `<query/>`; "the <item/> child MUST possess a 'jid' attribute" (§4.1). */
export function parseItems(query: Element): DiscoItem[] {
  if (!query.is('query', NS_DISCO_ITEMS)) throw new Error('not a disco#items query');
  return query.getChildren('item').filter((i) => i.attrs.jid).map((i) => ({
    jid: String(i.attrs.jid),
    ...(i.attrs.node !== undefined ? { node: String(i.attrs.node) } : {}),
    ...(i.attrs.name !== undefined ? { name: String(i.attrs.name) } : {}),
  }));
}

/** True when info lists an identity of that category and type. */
export function hasIdentity(info: Pick<DiscoInfo, 'identities'>, category: string, type: string): boolean {
  return info.identities.some((i) => i.category === category && i.type === type);
}
