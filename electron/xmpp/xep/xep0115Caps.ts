// XEP-0115: Entity Capabilities — https://xmpp.org/extensions/xep-0115.html (version 1.6.0)
// Pure: the verification string and hash of §5.1, the <c/> element of §4, and the checks of §5.4.
import { createHash } from 'node:crypto';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { DiscoInfo } from './xep0030Disco';

export const NS_CAPS = 'http://jabber.org/protocol/caps';

/** What a `<c/>` in presence says: which software (node), which feature set (ver), hashed how. */
export interface Caps {
  hash: string;
  node: string;
  ver: string;
}

const encoder = new TextEncoder();

/** "i;octet" collation (RFC 4790): compare the UTF-8 bytes, not UTF-16 code units. */
function compareOctets(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/**
 * The verification string S of §5.1: identities sorted by category/type/xml:lang/name as
 * "category/type/lang/name<", then features sorted as "var<", then each extended form sorted by FORM_TYPE:
 * "FORM_TYPE<", then its fields (but FORM_TYPE) sorted by var as "var<" followed by their sorted "value<".
 */
export function verificationString(info: Pick<DiscoInfo, 'identities' | 'features' | 'forms'>): string {
  const identities = info.identities
    .map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}`)
    .sort(compareOctets);
  const features = [...info.features].sort(compareOctets);
  const forms = info.forms
    .filter((f) => f.formType !== null)
    .sort((a, b) => compareOctets(a.formType!, b.formType!))
    .map((form) => [
      form.formType!,
      ...form.fields
        .filter((f) => f.var !== 'FORM_TYPE')
        .sort((a, b) => compareOctets(a.var, b.var))
        .flatMap((f) => [f.var, ...[...f.values].sort(compareOctets)]),
    ]);
  return [...identities, ...features, ...forms.flat()].map((s) => `${s}<`).join('');
}

/** ver = Base64(SHA-1(UTF-8(S))) (§5.1 steps 8–9). */
export function capsVer(info: Pick<DiscoInfo, 'identities' | 'features' | 'forms'>): string {
  return createHash('sha1').update(verificationString(info), 'utf8').digest('base64');
}

/** `<c xmlns=caps hash='sha-1' node=… ver=…/>` for presence (§4). */
export function buildCaps(caps: Caps): Element {
  return xml('c', { xmlns: NS_CAPS, hash: caps.hash, node: caps.node, ver: caps.ver });
}

/** Reads the `<c/>` of a presence, or null. Legacy caps without 'hash' (§8.3) are returned with hash ''. */
export function parseCaps(presence: Element): Caps | null {
  const c = presence.getChild('c', NS_CAPS);
  if (!c || !c.attrs.node || !c.attrs.ver) return null;
  return { hash: String(c.attrs.hash ?? ''), node: String(c.attrs.node), ver: String(c.attrs.ver) };
}

/**
 * §5.4 processing: only a sha-1 ver that matches the received disco#info may be cached. The result is not
 * trusted when it holds "more than one <identity/> element with the same category, type, xml:lang, and
 * name", "more than one <feature/> element with the same XML character data", "more than one extended
 * service discovery information form with the same FORM_TYPE" or a FORM_TYPE field with "more than one
 * <value/> element". A form whose FORM_TYPE "is not of type 'hidden'" is ignored, processing continues.
 */
export function isVerifiedCaps(info: DiscoInfo, caps: Caps): boolean {
  if (caps.hash !== 'sha-1') return false;
  const identityKeys = info.identities.map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}`);
  if (hasDuplicates(identityKeys) || hasDuplicates(info.features)) return false;
  const forms = info.forms.filter((form) => form.fields.find((f) => f.var === 'FORM_TYPE')?.type === 'hidden');
  if (forms.some((form) => form.fields.find((f) => f.var === 'FORM_TYPE')!.values.length !== 1)) return false;
  if (hasDuplicates(forms.map((form) => form.formType ?? ''))) return false;
  return capsVer({ ...info, forms }) === caps.ver;
}

function hasDuplicates(values: string[]): boolean {
  return new Set(values).size !== values.length;
}
