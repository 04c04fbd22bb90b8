/** The name a link's file is offered under when its URL path gives none. */
export const DEFAULT_LINK_NAME = 'download';

/**
 * The file name a link offers: the last segment of the URL's path, percent-decoded (Prosody's
 * http_file_share puts the uploader's name there; Kontalk a name or a hash). The file store sanitises it
 * like any offered name; this only takes it out of the URL.
 */
export function linkFileName(url: string): string {
  let path: string;
  try { path = new URL(url).pathname; } catch { return DEFAULT_LINK_NAME; }
  const segment = path.split('/').filter((s) => s !== '').pop() ?? '';
  let name: string;
  try { name = decodeURIComponent(segment); } catch { name = segment; }
  return name.trim() === '' ? DEFAULT_LINK_NAME : name;
}
