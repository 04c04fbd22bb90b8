/** A message body cut into plain text and http(s) links (the links a chat shows as clickable). */
export type BodyPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence rather than a URL ("see https://x.org/a."). */
const TRAILING = /[.,;:!?)\]}]+$/;

/** The URL when it is a web link Ferry lets the user open: http(s), parseable, no credentials. */
function webLink(text: string): string | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits a body into text and links, in order; the text of each part is exactly what the body said. */
export function splitLinks(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_RE)) {
    const raw = match[0].replace(TRAILING, '');
    const url = webLink(raw);
    if (!url) continue;
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: body.slice(last, start) });
    parts.push({ kind: 'link', text: raw, url });
    last = start + raw.length;
  }
  if (last < body.length) parts.push({ kind: 'text', text: body.slice(last) });
  return parts;
}
