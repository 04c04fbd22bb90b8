import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import { MAX_THUMBNAILS, NS_THUMBS, buildThumbnail, parseThumbnail, readThumbnails, type Thumbnail } from '../../../../../electron/xmpp/xep/xep0264Thumbnails';
import { expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { arbitrarySharingElement } from '../../../../support/sharingFixtures';
import { el, reparse } from '../../../../support/xepFixtures';

const CID_URI = 'cid:sha1+ffd7c8d28e9c5e82afea41f97108c6b4@bob.xmpp.org';
// §3 example 1 (the <file/> of a XEP-0234 :4 offer; "<media-type>image/jpeg</media>" fixed to be XML).
const FILE = `
<file xmlns='urn:xmpp:jingle:apps:file-transfer:4'>
  <media-type>image/jpeg</media-type>
  <name>image.jpg</name>
  <size>3032449</size>
  <hash xmlns='urn:xmpp:hashes:1' algo='sha-1'>552da749930852c69ae5d2141d3766b1</hash>
  <desc>This is a test. If this were a real file...</desc>
  <thumbnail xmlns='urn:xmpp:thumbs:1'
             uri='cid:sha1+ffd7c8d28e9c5e82afea41f97108c6b4@bob.xmpp.org'
             media-type='image/png'
             width='128'
             height='96'/>
</file>`;
const SPEC_THUMBNAIL: Thumbnail = { uri: CID_URI, mediaType: 'image/png', width: 128, height: 96 };
const thumbnail = (attrs: string) => el(`<thumbnail xmlns='${NS_THUMBS}' ${attrs}/>`);

describe('XEP-0264 thumbnail (§3, §4)', () => {
  it('reads the thumbnail of the §3 example 1 file offer and builds it back attribute for attribute', () => {
    const file = el(FILE);
    expect(readThumbnails(file)).toEqual([SPEC_THUMBNAIL]);
    expect(shape(reparse(buildThumbnail(SPEC_THUMBNAIL)))).toEqual(shape(file.getChild('thumbnail', NS_THUMBS)!));
  });

  it.each([
    ['an https uri and no optional attributes', "uri='https://share.example/t.jpg'", { uri: 'https://share.example/t.jpg', mediaType: null, width: null, height: null }],
    ['an http uri (§4 "typically ... cid:, https:, or http:")', "uri='http://share.example/t.jpg' media-type='image/jpeg'", { uri: 'http://share.example/t.jpg', mediaType: 'image/jpeg', width: null, height: null }],
    ['dimensions beyond xs:unsignedShort (dropped hints)', `uri='${CID_URI}' width='65536' height='-1'`, { uri: CID_URI, mediaType: null, width: null, height: null }],
    ['a media type that is not RFC 2045 (dropped)', `uri='${CID_URI}' media-type='png' width='65535' height='0'`, { uri: CID_URI, mediaType: null, width: 65535, height: 0 }],
  ])('parses %s', (_label, attrs, expected) => {
    expect(parseThumbnail(thumbnail(attrs))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['no uri (REQUIRED)', "media-type='image/png'", 'bad-request'],
    ['a data: uri', "uri='data:image/png;base64,iVBORw0KGgo='", 'not-acceptable'],
    ['a file: uri', "uri='file:///etc/passwd'", 'not-acceptable'],
    ['a cid: uri that is no content-id', "uri='cid:nothing'", 'not-acceptable'],
  ])('refuses a thumbnail with %s', (_label, attrs, condition) => {
    expect(parseThumbnail(thumbnail(attrs))).toMatchObject({ ok: false, error: { condition } });
  });

  it(`keeps the usable ones among at most ${MAX_THUMBNAILS} thumbnails (§3 "Multiple <thumbnail/> elements MAY be included")`, () => {
    const many = `<file>${"<thumbnail xmlns='urn:xmpp:thumbs:1' uri='file:///x'/>"}${`<thumbnail xmlns='urn:xmpp:thumbs:1' uri='${CID_URI}'/>`.repeat(10)}</file>`;
    expect(readThumbnails(el(many))).toHaveLength(MAX_THUMBNAILS - 1);
  });

  it('refuses to build what it would not read back', () => {
    expect(() => buildThumbnail({ ...SPEC_THUMBNAIL, uri: 'data:,x' })).toThrow(RangeError);
    expect(() => buildThumbnail({ ...SPEC_THUMBNAIL, width: 70000 })).toThrow(RangeError);
    expect(() => buildThumbnail({ ...SPEC_THUMBNAIL, mediaType: 'png' })).toThrow(RangeError);
  });
});

describe('XEP-0264 properties', () => {
  const dimension = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null });
  const value: fc.Arbitrary<Thumbnail> = fc.record({
    uri: fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/).map((hex) => `cid:sha1+${hex}@bob.xmpp.org`),
      fc.stringMatching(/^[a-z0-9]{1,20}$/).map((path) => `https://share.example/${path}.png`)),
    mediaType: fc.constantFrom(null, 'image/png', 'image/jpeg'), width: dimension, height: dimension,
  });

  it('round-trips any thumbnail', () => {
    fc.assert(fc.property(value, (v) => {
      expect(parseThumbnail(reparse(buildThumbnail(v)))).toEqual({ ok: true, value: v });
    }));
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    fc.assert(fc.property(fc.oneof(arbitrarySharingElement, mutatedFixture([FILE])), (element: Element) => {
      expectOkOrStanzaError(parseThumbnail(element), ['bad-request', 'not-acceptable']);
      expect(readThumbnails(element).length).toBeLessThanOrEqual(MAX_THUMBNAILS);
    }), { numRuns: 2000 });
  });
});
