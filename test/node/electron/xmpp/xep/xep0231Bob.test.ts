import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { Element } from '@xmpp/xml';
import {
  MAX_BOB_READ_BYTES, MAX_BOB_SEND_BYTES, NS_BOB, bobCid, buildBobData, buildBobRequest, parseBobData, parseBobRequest, readCidUrl, type BobData,
} from '../../../../../electron/xmpp/xep/xep0231Bob';
import { expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { arbitrarySharingElement } from '../../../../support/sharingFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

const PNG_BASE64_LINES = `
    iVBORw0KGgoAAAANSUhEUgAAAAoAAAAKCAYAAACNMs+9AAAABGdBTUEAALGP
    C/xhBQAAAAlwSFlzAAALEwAACxMBAJqcGAAAAAd0SU1FB9YGARc5KB0XV+IA
    AAAddEVYdENvbW1lbnQAQ3JlYXRlZCB3aXRoIFRoZSBHSU1Q72QlbgAAAF1J
    REFUGNO9zL0NglAAxPEfdLTs4BZM4DIO4C7OwQg2JoQ9LE1exdlYvBBeZ7jq
    ch9//q1uH4TLzw4d6+ErXMMcXuHWxId3KOETnnXXV6MJpcq2MLaI97CER3N0
    vr4MkhoXe0rZigAAAABJRU5ErkJggg==
  `;
const PNG = Uint8Array.from(Buffer.from(PNG_BASE64_LINES.replace(/\s/g, ''), 'base64'));
const SPEC_CID = 'sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org';
// §2.3 "Requesting data" and "Returning data".
const REQUEST = `<iq from='doctor@shakespeare.lit/pda' id='get-data-1' to='ladymacbeth@shakespeare.lit/castle' type='get'>
  <data xmlns='urn:xmpp:bob' cid='${SPEC_CID}'/></iq>`;
const RESULT = `<iq from='ladymacbeth@shakespeare.lit/castle' id='get-data-1' to='doctor@shakespeare.lit/pda' type='result'>
  <data xmlns='urn:xmpp:bob' cid='${SPEC_CID}' max-age='86400' type='image/png'>${PNG_BASE64_LINES}</data></iq>`;
const data = (attrs: string, text: string) => el(`<data xmlns='${NS_BOB}' ${attrs}>${text}</data>`);

describe('XEP-0231 data (§2.3, §2.5)', () => {
  it('parses the §2.3 result, line breaks and all, matching its cid to the SHA-1 of the base64 text as the examples compute it', () => {
    expect(parseBobData(payload(RESULT))).toEqual({ ok: true, value: { cid: SPEC_CID, mediaType: 'image/png', maxAge: 86400, bytes: PNG, isVerified: true } });
  });

  it('names its own data by the SHA-1 of the bytes (§2.5 "applied to the binary data itself"), and round-trips it', () => {
    const cid = bobCid(PNG);
    expect(cid).toBe(`sha1+${createHash('sha1').update(PNG).digest('hex')}@bob.xmpp.org`);
    const value: BobData = { cid, mediaType: 'image/png', maxAge: 0, bytes: PNG };
    expect(parseBobData(reparse(buildBobData(value)))).toEqual({ ok: true, value: { ...value, isVerified: true } });
    expect(reparse(buildBobData(value)).getText()).not.toMatch(/\s/); // §2.5: "MUST NOT include whitespace"
  });

  it('reads data whose cid names no hash it computes as unverified, and a malformed max-age as none', () => {
    expect(parseBobData(data("cid='1234@example.org' type='image/png' max-age='-1'", 'iVBORw0KGgo='))).toMatchObject({
      ok: true, value: { cid: '1234@example.org', maxAge: null, isVerified: false },
    });
    expect(parseBobData(data("cid='md5+00@bob.xmpp.org' type='image/png'", 'iVBORw0KGgo='))).toMatchObject({ ok: true, value: { isVerified: false } });
  });

  it.each([
    ['no cid (REQUIRED)', "type='image/png'", 'iVBORw0KGgo=', 'bad-request'],
    ['a cid with a space', "cid='a b@c' type='image/png'", 'iVBORw0KGgo=', 'bad-request'],
    ['no type (REQUIRED if the <data/> element is non-empty)', "cid='a@b'", 'iVBORw0KGgo=', 'bad-request'],
    ['a type that is not RFC 2045', "cid='a@b' type='png'", 'iVBORw0KGgo=', 'bad-request'],
    ['bytes that do not hash to the cid', `cid='${SPEC_CID}' type='image/png'`, 'AAAA', 'bad-request'],
    ['base64 with non-zero pad bits', "cid='a@b' type='image/png'", 'iVBORw0KGgp=', 'bad-request'],
    ['characters outside the alphabet', "cid='a@b' type='image/png'", 'iVBOR*0KGgo=', 'bad-request'],
    ['no data at all (that is a request)', "cid='a@b' type='image/png'", '  ', 'bad-request'],
    [`more than ${MAX_BOB_READ_BYTES} bytes`, "cid='a@b' type='image/png'", 'A'.repeat(Math.ceil(MAX_BOB_READ_BYTES / 3) * 4 + 4), 'not-acceptable'],
  ])('refuses data with %s', (_label, attrs, text, condition) => {
    expect(parseBobData(data(attrs, text))).toMatchObject({ ok: false, error: { condition } });
  });

  it.each([
    ['more than 8 KiB (§2.1 SHOULD NOT)', { cid: 'a@b', mediaType: 'image/png', maxAge: null, bytes: new Uint8Array(MAX_BOB_SEND_BYTES + 1) }],
    ['no bytes', { cid: 'a@b', mediaType: 'image/png', maxAge: null, bytes: new Uint8Array(0) }],
    ['a cid naming another hash', { cid: SPEC_CID, mediaType: 'image/png', maxAge: null, bytes: new Uint8Array([1]) }],
    ['a bad media type', { cid: 'a@b', mediaType: 'png', maxAge: null, bytes: new Uint8Array([1]) }],
    ['a negative max-age', { cid: 'a@b', mediaType: 'image/png', maxAge: -1, bytes: new Uint8Array([1]) }],
  ])('refuses to build data with %s', (_label, value) => {
    expect(() => buildBobData(value)).toThrow(RangeError);
  });
});

describe('XEP-0231 requests (§2.3) and cid URLs (§2.2)', () => {
  it('builds the §2.3 request and parses it back', () => {
    expect(shape(reparse(buildBobRequest(SPEC_CID)))).toEqual(shape(payload(REQUEST)));
    expect(parseBobRequest(payload(REQUEST))).toEqual({ ok: true, value: { cid: SPEC_CID } });
    expect(parseBobRequest(payload(RESULT)).ok).toBe(false);
    expect(() => buildBobRequest('no at sign')).toThrow(RangeError);
  });

  it.each([
    [`cid:${SPEC_CID}`, SPEC_CID],
    ['CID:sha1%2B8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org', SPEC_CID],
    ['cid:%E0%A4%A', null],
    ['https://bob.xmpp.org/x', null],
    ['cid:', null],
  ])('reads the cid of %s as %s', (uri, expected) => {
    expect(readCidUrl(uri)).toBe(expected);
  });
});

describe('XEP-0231 properties', () => {
  it('round-trips any small data under its own cid', () => {
    const value = fc.record({
      bytes: fc.uint8Array({ minLength: 1, maxLength: MAX_BOB_SEND_BYTES }),
      mediaType: fc.constantFrom('image/png', 'audio/ogg; codecs=opus', 'application/octet-stream'),
      maxAge: fc.option(fc.nat(), { nil: null }),
    }).map((v): BobData => ({ ...v, cid: bobCid(v.bytes) }));
    fc.assert(fc.property(value, (v) => {
      expect(parseBobData(reparse(buildBobData(v)))).toEqual({ ok: true, value: { ...v, isVerified: true } });
    }), { numRuns: 200 });
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    fc.assert(fc.property(fc.oneof(arbitrarySharingElement, mutatedFixture([payload(RESULT).toString(), payload(REQUEST).toString()])), (element: Element) => {
      expectOkOrStanzaError(parseBobData(element), ['bad-request', 'not-acceptable']);
      expectOkOrStanzaError(parseBobRequest(element));
    }), { numRuns: 2000 });
  });
});
