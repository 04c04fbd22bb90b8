import { describe, expect, it } from 'vitest';
import { linkFileName } from '../../../../../../electron/transfer/methods/links/linkName';
import { extensionFor } from '../../../../../../electron/transfer/mediaType';

describe('linkFileName (the offered name of a XEP-0066 link)', () => {
  it.each([
    ['http_file_share path, percent-encoded', 'http://127.0.0.1:5280/file_share/abc/report%202026.pdf', null, 'report 2026.pdf'],
    ['a query string is not part of the name', 'https://x.example/media/a.png?token=1', null, 'a.png'],
    ['no path at all', 'https://x.example/', null, 'download'],
    ['bad percent-encoding kept as is', 'https://x.example/%E0%A4%A.bin', null, '%E0%A4%A.bin'],
    ['a Kontalk hash name gets the extension of an image type (seed 002 <url type/>)', 'http://k.example/media/5f1c9a', 'image/jpeg', '5f1c9a.jpg'],
    ['a name that has an extension keeps it', 'http://k.example/media/photo.png', 'image/jpeg', 'photo.png'],
    ['HTML never gets an extension that a browser would run', 'http://k.example/media/5f1c9a', 'text/html', '5f1c9a'],
    ['SVG neither', 'http://k.example/media/5f1c9a', 'image/svg+xml', '5f1c9a'],
    ['a path traversal is only a name here (the file store sanitises it)', 'http://k.example/a/..%2F..%2Fetc%2Fpasswd', null, '../../etc/passwd'],
  ])('%s', (_label, url, mediaType, expected) => {
    expect(linkFileName(url, mediaType)).toBe(expected);
  });
});

describe('extensionFor', () => {
  it.each([['image/png', 'png'], ['IMAGE/JPEG', 'jpg'], ['video/mp4', 'mp4'], ['application/pdf', 'pdf'], ['application/zip', null], ['text/plain', null], ['image/svg+xml', null]])(
    '%s → %s', (type, ext) => { expect(extensionFor(type)).toBe(ext); },
  );
});
