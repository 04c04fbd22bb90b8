/** A media type guessed from a file name's extension, for the SI mime-type attribute and the UI. */

/** What a file of unknown type is (XEP-0095 §4.1 assumes it when mime-type is absent). */
export const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', html: 'text/html', htm: 'text/html', css: 'text/css',
  xml: 'application/xml', json: 'application/json', pdf: 'application/pdf', rtf: 'application/rtf',
  zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar', '7z': 'application/x-7z-compressed',
  xz: 'application/x-xz', bz2: 'application/x-bzip2',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  bmp: 'image/bmp', ico: 'image/vnd.microsoft.icon', tif: 'image/tiff', tiff: 'image/tiff', heic: 'image/heic',
  avif: 'image/avif',
  mp3: 'audio/mpeg', ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/opus', wav: 'audio/wav', flac: 'audio/flac',
  m4a: 'audio/mp4', aac: 'audio/aac',
  mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska',
  avi: 'video/x-msvideo', ogv: 'video/ogg',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation', epub: 'application/epub+zip',
};

/** The media type for a file name's extension (case-insensitive), or application/octet-stream. */
export function mediaTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return DEFAULT_MEDIA_TYPE;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return Object.hasOwn(MEDIA_TYPES, extension) ? MEDIA_TYPES[extension] : DEFAULT_MEDIA_TYPE;
}

/** Types whose extension a link's name may be given when its URL has none (media a user opens by type). */
const NAMEABLE = /^(image\/(png|jpeg|gif|webp)|audio\/.+|video\/.+|application\/pdf)$/;

/**
 * The extension for a media type, for a link whose URL names no file type (Kontalk's hash names): only for
 * raster images, audio, video and PDF, never for a type that could run (HTML, SVG, scripts); null otherwise.
 */
export function extensionFor(mediaType: string): string | null {
  const type = mediaType.trim().toLowerCase();
  if (!NAMEABLE.test(type)) return null;
  return Object.keys(MEDIA_TYPES).find((ext) => MEDIA_TYPES[ext] === type) ?? null;
}
