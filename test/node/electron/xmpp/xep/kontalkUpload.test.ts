import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import {
  MAX_KONTALK_SERVICES, MAX_KONTALK_THUMBNAIL_BYTES, NS_KONTALK_UPLOAD, buildKontalkServicesQuery, buildKontalkThumbnail, buildKontalkUploadAnswer,
  buildKontalkUploadRequest, hasKontalkUpload, parseKontalkServices, parseKontalkThumbnail, parseKontalkUploadAnswer, parseKontalkUploadRequest,
  readKontalkThumbnail,
} from '../../../../../electron/xmpp/xep/kontalkUpload';
import { parseInfo } from '../../../../../electron/xmpp/xep/xep0030Disco';
import { readFileLink } from '../../../../../electron/xmpp/xep/xep0066Oob';
import { expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { arbitrarySharingElement } from '../../../../support/sharingFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

// Seed 002, "Sending", in order ("<feature ......" and "<item ......." left out).
const DISCO_INFO = `<iq from='kontalk.net' type='result' id='H_1' to='romeo@montague.net/orchard'>
  <query xmlns='http://jabber.org/protocol/disco#info'>
    <identity category='server' type='im' name='kontalk'/>
    <feature var='http://www.kontalk.org/extensions/message#upload'/>
  </query></iq>`;
const ITEMS_QUERY = `<iq to='kontalk.net' type='get' id='H_2'>
  <query xmlns='http://jabber.org/protocol/disco#items' node='http://www.kontalk.org/extensions/message#upload'/></iq>`;
const ITEMS_RESULT = `<iq from='kontalk.net' type='result' id='H_2' to='romeo@montague.net/orchard'>
  <query xmlns='http://jabber.org/protocol/disco#items' node='http://www.kontalk.org/extensions/message#upload'>
    <item node='kontalkbox' jid='kontalk.net' name='Kontalk dropbox service'/>
    <item node='dropbox' jid='kontalk.net' name='Dropbox service'/>
  </query></iq>`;
const UPLOAD_REQUEST = `<iq to='kontalk.net' type='set' id='H_3'>
  <upload xmlns='http://www.kontalk.org/extensions/message#upload' node='kontalkbox'>
    <media type='image/png'/>
  </upload></iq>`;
const UPLOAD_ANSWER = `<iq from='kontalk.net' type='result' id='H_3' to='romeo@montague.net/orchard'>
  <upload xmlns='http://www.kontalk.org/extensions/message#upload' node='kontalkbox'>
    <uri>http://www.kontalk.org/media/upload</uri>
  </upload></iq>`;
// Seed 002, "Delivery", verbatim: the thumbnail block there is the XEP-0047 sample text, not an image.
const SEED_BLOCK = `
    qANQR1DBwU4DX7jmYZnncmUQB/9KuKBddzQH+tZ1ZywKK0yHKnq57kWq+RFtQdCJ
    WpdWpR0uQsuJe7+vh3NWn59/gTc5MDlX8dS9p0ovStmNcyLhxVgmqS8ZKhsblVeu
    IpQ0JgavABqibJolc3BKrVtVV1igKiX/N7Pi8RtY1K18toaMDhdEfhBRzO/XB0+P
    AQhYlRjNacGcslkhXqNjK5Va4tuOAPy2n1Q8UUrHbUd0g+xJ9Bm0G0LZXyvCWyKH
    kuNEHFQiLuCY6Iv0myq6iX6tjuHehZlFSh80b5BVV9tNLwNR5Eqz1klxMhoghJOA
  `;
const delivery = (type: string, block: string) => `<message from='romeo@montague.net/orchard' id='dsw71gj3' to='juliet@capulet.com/balcony'>
  <x xmlns='jabber:x:oob'>
    <url type='${type}'>http://prime.kontalk.net/media/filename_or_hash</url>
  </x>
  <data xmlns='http://jabber.org/protocol/ibb' seq='0' type='${type}' sid='i781hf64'>${block}</data>
</message>`;
// XEP-0231 §2.5's 10×10 PNG, line-broken as the seed breaks its block.
const PNG_LINES = `
    iVBORw0KGgoAAAANSUhEUgAAAAoAAAAKCAYAAACNMs+9AAAABGdBTUEAALGP
    C/xhBQAAAAlwSFlzAAALEwAACxMBAJqcGAAAAAd0SU1FB9YGARc5KB0XV+IA
    AAAddEVYdENvbW1lbnQAQ3JlYXRlZCB3aXRoIFRoZSBHSU1Q72QlbgAAAF1J
    REFUGNO9zL0NglAAxPEfdLTs4BZM4DIO4C7OwQg2JoQ9LE1exdlYvBBeZ7jq
    ch9//q1uH4TLzw4d6+ErXMMcXuHWxId3KOETnnXXV6MJpcq2MLaI97CER3N0
    vr4MkhoXe0rZigAAAABJRU5ErkJggg==
  `;
const PNG = Uint8Array.from(Buffer.from(PNG_LINES.replace(/\s/g, ''), 'base64'));
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const ibbData = (attrs: string, text: string) => el(`<data xmlns='http://jabber.org/protocol/ibb' ${attrs}>${text}</data>`);

describe('Kontalk upload: sending (seed 002)', () => {
  it('sees the feature in the server disco#info and builds the items query on its node', () => {
    expect(hasKontalkUpload(parseInfo(payload(DISCO_INFO)))).toBe(true);
    expect(hasKontalkUpload({ features: ['urn:xmpp:http:upload:0'] })).toBe(false);
    expect(shape(reparse(buildKontalkServicesQuery()))).toEqual(shape(payload(ITEMS_QUERY)));
  });

  it('reads the upload services of the items result', () => {
    expect(parseKontalkServices(payload(ITEMS_RESULT))).toEqual({ ok: true, value: [
      { jid: 'kontalk.net', node: 'kontalkbox', name: 'Kontalk dropbox service' },
      { jid: 'kontalk.net', node: 'dropbox', name: 'Dropbox service' },
    ] });
  });

  it(`skips items without a node and keeps at most ${MAX_KONTALK_SERVICES}`, () => {
    const items = `<query xmlns='http://jabber.org/protocol/disco#items'><item jid='kontalk.net'/><item jid='a' node=''/>
      ${"<item jid='kontalk.net' node='n'/>".repeat(40)}</query>`;
    const result = parseKontalkServices(el(items));
    expect(result.ok && result.value.length).toBe(MAX_KONTALK_SERVICES);
    expect(parseKontalkServices(el("<query xmlns='http://jabber.org/protocol/disco#info'/>")).ok).toBe(false);
  });

  it('builds the upload request exactly as the seed shows it, and reads it back', () => {
    const request = { node: 'kontalkbox', mediaType: 'image/png' };
    expect(shape(reparse(buildKontalkUploadRequest(request)))).toEqual(shape(payload(UPLOAD_REQUEST)));
    expect(parseKontalkUploadRequest(payload(UPLOAD_REQUEST))).toEqual({ ok: true, value: request });
    expect(parseKontalkUploadRequest(el(`<upload xmlns='${NS_KONTALK_UPLOAD}' node='kontalkbox'/>`)).ok).toBe(false);
    expect(() => buildKontalkUploadRequest({ node: 'kontalkbox', mediaType: 'png' })).toThrow(RangeError);
  });

  it('reads the URI of the answer and round-trips it', () => {
    const answer = { node: 'kontalkbox', uri: 'http://www.kontalk.org/media/upload' };
    expect(parseKontalkUploadAnswer(payload(UPLOAD_ANSWER))).toEqual({ ok: true, value: answer });
    expect(shape(reparse(buildKontalkUploadAnswer(answer)))).toEqual(shape(payload(UPLOAD_ANSWER)));
  });

  it.each([
    ['no uri', `<upload xmlns='${NS_KONTALK_UPLOAD}' node='kontalkbox'/>`],
    ['a javascript: uri', `<upload xmlns='${NS_KONTALK_UPLOAD}'><uri>javascript:alert(1)</uri></upload>`],
    ['an upload of another namespace', "<upload xmlns='urn:other'><uri>http://a.example/</uri></upload>"],
  ])('refuses an answer with %s', (_label, text) => {
    expect(parseKontalkUploadAnswer(el(text))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });
});

describe('Kontalk upload: delivery thumbnail (seed 002)', () => {
  it('reads a delivery message with a PNG thumbnail: the link by XEP-0066, the thumbnail from the <data/> next to it', () => {
    const message = el(delivery('image/png', PNG_LINES));
    expect(readFileLink(message)).toEqual({ url: 'http://prime.kontalk.net/media/filename_or_hash', mediaType: 'image/png', description: '' });
    expect(readKontalkThumbnail(message)).toEqual({ sid: 'i781hf64', mediaType: 'image/png', bytes: PNG });
  });

  it("refuses the seed's verbatim thumbnail: its type is the placeholder 'mime_type' and its bytes are no image", () => {
    const data = el(delivery('mime_type', SEED_BLOCK)).getChild('data', 'http://jabber.org/protocol/ibb')!;
    expect(parseKontalkThumbnail(data)).toMatchObject({ ok: false, error: { condition: 'not-acceptable' } });
    data.attrs.type = 'image/png';
    expect(parseKontalkThumbnail(data)).toMatchObject({ ok: false, error: { condition: 'not-acceptable', text: expect.stringContaining('not a PNG') } });
    expect(readKontalkThumbnail(el(delivery('mime_type', SEED_BLOCK)))).toBeNull();
  });

  it.each([
    ['no type (optional): the signature decides', "seq='0' sid='s'", JPEG, { sid: 's', mediaType: 'image/jpeg', bytes: JPEG }],
    ['a type that disagrees with the bytes: the signature wins', "seq='0' sid='s' type='image/png'", JPEG, { sid: 's', mediaType: 'image/jpeg', bytes: JPEG }],
  ])('reads a thumbnail with %s', (_label, attrs, bytes, expected) => {
    expect(parseKontalkThumbnail(ibbData(attrs, Buffer.from(bytes).toString('base64')))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a non-image type', "seq='0' sid='s' type='text/html'", 'iVBORw0KGgo=', 'not-acceptable'],
    ['an SVG (a document, not a raster image)', "seq='0' sid='s' type='image/svg+xml'", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'), 'not-acceptable'],
    [`more than ${MAX_KONTALK_THUMBNAIL_BYTES} bytes`, "seq='0' sid='s' type='image/png'", `iVBORw0KGgo${'A'.repeat(Math.ceil(MAX_KONTALK_THUMBNAIL_BYTES / 3) * 4)}=`, 'not-acceptable'],
    ['a seq other than 0 (one block)', "seq='1' sid='s' type='image/png'", 'iVBORw0KGgo=', 'bad-request'],
    ['no sid (XEP-0047 MUST)', "seq='0' type='image/png'", 'iVBORw0KGgo=', 'bad-request'],
    ['loose base64', "seq='0' sid='s' type='image/png'", 'iVBORw0KGgo', 'bad-request'],
  ])('refuses a thumbnail with %s', (_label, attrs, text, condition) => {
    expect(parseKontalkThumbnail(ibbData(attrs, text))).toMatchObject({ ok: false, error: { condition } });
  });

  it('builds the thumbnail with the type its bytes show and refuses anything that is not a small raster image', () => {
    const built = reparse(buildKontalkThumbnail({ sid: 'i781hf64', bytes: PNG }));
    expect(shape(built)).toEqual(shape(ibbData("seq='0' type='image/png' sid='i781hf64'", PNG_LINES.replace(/\s/g, ''))));
    expect(() => buildKontalkThumbnail({ sid: 's', bytes: new Uint8Array([1, 2, 3]) })).toThrow(RangeError);
    expect(() => buildKontalkThumbnail({ sid: 'a b', bytes: PNG })).toThrow(RangeError);
    expect(() => buildKontalkThumbnail({ sid: 's', bytes: Uint8Array.from([...PNG, ...new Uint8Array(MAX_KONTALK_THUMBNAIL_BYTES)]) })).toThrow(RangeError);
  });
});

describe('Kontalk upload properties', () => {
  const signature = fc.constantFrom([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38],
    [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50]);
  const image = fc.tuple(signature, fc.uint8Array({ maxLength: 2000 })).map(([head, tail]) => Uint8Array.from([...head, ...tail]));

  it('round-trips any raster thumbnail, and any upload request and answer', () => {
    fc.assert(fc.property(image, fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), (bytes, sid) => {
      const result = parseKontalkThumbnail(reparse(buildKontalkThumbnail({ sid, bytes })));
      expect(result.ok && [result.value.sid, result.value.bytes]).toEqual([sid, bytes]);
    }), { numRuns: 200 });
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('image/png', 'video/mp4', 'audio/ogg'), (node, mediaType) => {
      expect(parseKontalkUploadRequest(reparse(buildKontalkUploadRequest({ node, mediaType })))).toEqual({ ok: true, value: { node, mediaType } });
      const answer = { node, uri: `https://box.example/${node}` };
      expect(parseKontalkUploadAnswer(reparse(buildKontalkUploadAnswer(answer)))).toEqual({ ok: true, value: answer });
    }));
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    const fixtures = [payload(ITEMS_RESULT).toString(), payload(UPLOAD_REQUEST).toString(), payload(UPLOAD_ANSWER).toString(), delivery('image/png', PNG_LINES)];
    fc.assert(fc.property(fc.oneof(arbitrarySharingElement, mutatedFixture(fixtures)), (element: Element) => {
      expectOkOrStanzaError(parseKontalkServices(element));
      expectOkOrStanzaError(parseKontalkUploadRequest(element));
      expectOkOrStanzaError(parseKontalkUploadAnswer(element));
      expectOkOrStanzaError(parseKontalkThumbnail(element), ['bad-request', 'not-acceptable']);
      const thumbnail = readKontalkThumbnail(element);
      expect(thumbnail === null || thumbnail.bytes.length <= MAX_KONTALK_THUMBNAIL_BYTES).toBe(true);
    }), { numRuns: 2000 });
  });
});
