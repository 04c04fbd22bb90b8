/** Branded JID strings. A BareJid has no resource; a FullJid has one. */
export type BareJid = string & { readonly __brand: 'BareJid' };
export type FullJid = string & { readonly __brand: 'FullJid' };

const JID_RE = /^(?:([^@/\s]{1,1023})@)?([^@/\s]{1,1023})(?:\/(.{1,1023}))?$/u;

export interface JidParts {
  local: string;
  domain: string;
  resource: string;
}

/** Splits a JID into its parts, or returns null when it is not a JID (RFC 7622 §3.1, structure only). */
export function parseJid(text: string): JidParts | null {
  const match = JID_RE.exec(text.trim());
  if (!match) return null;
  return { local: match[1] ?? '', domain: match[2].toLowerCase(), resource: match[3] ?? '' };
}

/** The bare form (local@domain) of any JID; local part lower-cased as RFC 7622 nodeprep does for ASCII. */
export function toBareJid(text: string): BareJid {
  const parts = parseJid(text);
  if (!parts) throw new Error(`not a JID: ${text}`);
  const local = parts.local.toLowerCase();
  return (local ? `${local}@${parts.domain}` : parts.domain) as BareJid;
}

/** True when text has a resource part. */
export function isFullJid(text: string): text is FullJid {
  const parts = parseJid(text);
  return parts !== null && parts.resource !== '';
}

/** A bare JID with a local part: what a user account or a contact looks like. */
export function isAccountJid(text: string): text is BareJid {
  const parts = parseJid(text);
  return parts !== null && parts.local !== '' && parts.resource === '';
}
