import { extensionFor } from '../../mediaType';

/** The name a link's file is offered under when its URL path gives none. */
export const DEFAULT_LINK_NAME = 'download';

/**
 * The file name a link offers: the last segment of the URL's path, percent-decoded (Prosody's
 * http_file_share puts the uploader's name there; Kontalk a name or a hash). The file store sanitises it
 * like any offered name; this only takes it out of the URL (adding the extension of its media type, see
 * extensionFor, when it has none).
 */
export function linkFileName(url: string, mediaType: string | null = null): string {
  let path: string;
  try { path = new URL(url).pathname; } catch { return DEFAULT_LINK_NAME; }
  const segment = path.split('/').filter((s) => s !== '').pop() ?? '';
  let name: string;
  try { name = decodeURIComponent(segment); } catch { name = segment; }
  if (name.trim() === '') name = DEFAULT_LINK_NAME;
  // A name with no extension (a hash) gets the one of the link's media type, where that type is harmless.
  const extension = !/\.[A-Za-z0-9]{1,8}$/.test(name) && mediaType ? extensionFor(mediaType) : null;
  return extension ? `${name}.${extension}` : name;
}
