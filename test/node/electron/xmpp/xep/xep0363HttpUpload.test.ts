import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import xml, { type Element } from '@xmpp/xml';
import { parseInfo } from '../../../../../electron/xmpp/xep/xep0030Disco';
import {
  MAX_SLOT_HEADERS, NS_HTTP_UPLOAD, buildFileTooLargeError, buildQuotaError, buildSlot, buildSlotRequest, parseSlot, parseSlotRequest,
  parseUploadRefusal, readUploadService, type Slot, type SlotRequest,
} from '../../../../../electron/xmpp/xep/xep0363HttpUpload';
import { expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { arbitrarySharingElement } from '../../../../support/sharingFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

// §3 "Upload service replies to service discovery request and reports a maximum file size of 5MiB".
const DISCO_INFO = `
<iq from='upload.montague.tld' id='step_02' to='romeo@montague.tld/garden' type='result'>
  <query xmlns='http://jabber.org/protocol/disco#info'>
    <identity category='store' type='file' name='HTTP File Upload' />
    <feature var='urn:xmpp:http:upload:0' />
    <x type='result' xmlns='jabber:x:data'>
      <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>
      <field var='max-file-size'><value>5242880</value></field>
    </x>
  </query>
</iq>`;
// §4 "Client requests a slot on the upload service".
const REQUEST = `<iq from='romeo@montague.tld/garden' id='step_03' to='upload.montague.tld' type='get'>
  <request xmlns='urn:xmpp:http:upload:0' filename='très cool.jpg' size='23456' content-type='image/jpeg' /></iq>`;
// §4 "The upload service responds with a slot".
const SLOT = `
<iq from='upload.montague.tld' id='step_03' to='romeo@montague.tld/garden' type='result'>
  <slot xmlns='urn:xmpp:http:upload:0'>
    <put url='https://upload.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg'>
      <header name='Authorization'>Basic Base64String==</header>
      <header name='Cookie'>foo=bar; user=romeo</header>
    </put>
    <get url='https://download.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg' />
  </slot>
</iq>`;
const SLOT_VALUE: Slot = {
  putUrl: 'https://upload.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg',
  headers: [{ name: 'Authorization', value: 'Basic Base64String==' }, { name: 'Cookie', value: 'foo=bar; user=romeo' }],
  getUrl: 'https://download.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg',
};
const REQUEST_ECHO = "<request xmlns='urn:xmpp:http:upload:0' filename='très cool.jpg' size='23456' content-type='image/jpeg' />";
// §5 "Alternative response by the upload service if the file size was too large".
const TOO_LARGE = `<iq from='upload.montague.tld' id='step_03' to='romeo@montague.tld/garden' type='error'>${REQUEST_ECHO}
  <error type='modify'>
    <not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' />
    <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>File too large. The maximum file size is 20000 bytes</text>
    <file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>20000</max-file-size></file-too-large>
  </error></iq>`;
// §5 "... to indicate a temporary error after the client exceeded a quota".
const QUOTA = `<iq type='error'>${REQUEST_ECHO}
  <error type='wait'>
    <resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' />
    <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Quota reached. You can only upload 5 files in 5 minutes</text>
    <retry xmlns='urn:xmpp:http:upload:0' stamp='2017-12-03T23:42:05Z' />
  </error></iq>`;
// §5 "... an auth error to a client that is not allowed to upload files".
const FORBIDDEN = `<iq type='error'>${REQUEST_ECHO}<error type='auth'>
    <forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' />
    <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Only premium members are allowed to upload files</text>
  </error></iq>`;
const slotWith = (inner: string) => el(`<slot xmlns='${NS_HTTP_UPLOAD}'>${inner}</slot>`);
const GET = "<get url='https://download.example/f'/>";

describe('XEP-0363 discovery (§3)', () => {
  const info = (text: string) => parseInfo(payload(text));

  it('reads the service of the §3 example with its 5 MiB limit and identity name', () => {
    expect(readUploadService(info(DISCO_INFO))).toEqual({ name: 'HTTP File Upload', maxFileSize: 5242880 });
  });

  it.each([
    ['no feature (the feature decides, MUST)', DISCO_INFO.replace("<feature var='urn:xmpp:http:upload:0' />", ''), null],
    ['no form (no limit announced)', DISCO_INFO.replace(/<x type[\s\S]*<\/x>/, ''), { name: 'HTTP File Upload', maxFileSize: null }],
    ['max-file-size 0', DISCO_INFO.replace('5242880', '0'), { name: 'HTTP File Upload', maxFileSize: null }],
    ['a max-file-size that is not bytes ("5 MB")', DISCO_INFO.replace('5242880', '5 MB'), { name: 'HTTP File Upload', maxFileSize: null }],
    ['the field in a form of another FORM_TYPE', DISCO_INFO.replace('<value>urn:xmpp:http:upload:0</value>', '<value>urn:other</value>'), { name: 'HTTP File Upload', maxFileSize: null }],
    ['the feature without the store/file identity', DISCO_INFO.replace(/<identity[^>]*>/, ''), { name: null, maxFileSize: 5242880 }],
  ])('reads a disco#info with %s', (_label, text, expected) => {
    expect(readUploadService(info(text))).toEqual(expected);
  });
});

describe('XEP-0363 slot request (§4)', () => {
  const EXAMPLE: SlotRequest = { filename: 'très cool.jpg', size: 23456, contentType: 'image/jpeg' };

  it('builds the §4 request, attribute for attribute, and reads it back', () => {
    expect(shape(reparse(buildSlotRequest(EXAMPLE)))).toEqual(shape(payload(REQUEST)));
    expect(parseSlotRequest(payload(REQUEST))).toEqual({ ok: true, value: EXAMPLE });
    expect(parseSlotRequest(reparse(buildSlotRequest({ filename: 'empty', size: 0, contentType: null })))).toEqual({ ok: true, value: { filename: 'empty', size: 0, contentType: null } });
  });

  it.each([
    ['an empty file name', { filename: '', size: 1, contentType: null }],
    ['a file name with a slash (Prosody refuses it)', { filename: 'a/b', size: 1, contentType: null }],
    ['a file name with a control character', { filename: 'a\u0007', size: 1, contentType: null }],
    ['a negative size', { filename: 'a', size: -1, contentType: null }],
    ['a fractional size', { filename: 'a', size: 1.5, contentType: null }],
    ['a content-type that is not type/subtype', { filename: 'a', size: 1, contentType: 'jpeg' }],
  ])('refuses to build a request with %s', (_label, request) => {
    expect(() => buildSlotRequest(request)).toThrow(RangeError);
  });

  it.each([
    ['no filename (MUST include filename and size)', "size='1'"],
    ['no size', "filename='a'"],
    ['a signed size', "filename='a' size='+1'"],
  ])('refuses a request with %s', (_label, attrs) => {
    expect(parseSlotRequest(el(`<request xmlns='${NS_HTTP_UPLOAD}' ${attrs}/>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });
});

describe('XEP-0363 slot (§4)', () => {
  it('parses the §4 slot and round-trips it', () => {
    expect(parseSlot(payload(SLOT))).toEqual({ ok: true, value: SLOT_VALUE });
    expect(parseSlot(reparse(buildSlot(SLOT_VALUE)))).toEqual({ ok: true, value: SLOT_VALUE });
  });

  it("parses Prosody mod_http_file_share's slot: get first, one Bearer header, plain http on loopback", () => {
    const slot = slotWith(`<get url='http://127.0.0.1:5280/file_share/abc/a.txt'/><put url='http://127.0.0.1:5280/file_share/abc/a.txt'>
      <header name='Authorization'>Bearer eyJhbGciOiJIUzI1NiJ9.e30.x</header></put>`);
    expect(parseSlot(slot)).toEqual({ ok: true, value: {
      putUrl: 'http://127.0.0.1:5280/file_share/abc/a.txt', getUrl: 'http://127.0.0.1:5280/file_share/abc/a.txt',
      headers: [{ name: 'Authorization', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' }],
    } });
  });

  it('keeps only Authorization, Cookie and Expires, case-insensitively, in order, newlines stripped (§4 MUST, §9.2)', () => {
    const slot = slotWith(`<put url='https://up.example/f'>
      <header name='X-Evil'>1</header><header name='cookie'>a=1</header><header name='Host'>evil.example</header>
      <header name='eXpires'>Tue, 01 Jan 2030 00:00:00 GMT</header><header name='Cookie'>b=2;&#13;&#10;Set-Cookie: x</header>
      <header name='Content-Length'>0</header></put>${GET}`);
    expect(parseSlot(slot)).toMatchObject({ ok: true, value: { headers: [
      { name: 'Cookie', value: 'a=1' }, { name: 'Expires', value: 'Tue, 01 Jan 2030 00:00:00 GMT' }, { name: 'Cookie', value: 'b=2;Set-Cookie: x' },
    ] } });
  });

  it.each([
    ['http://localhost:5280/u', true], ['http://[::1]:5280/u', true], ['http://127.1.2.3/u', true], ['http://[::ffff:127.0.0.1]/u', true],
    ['http://upload.montague.tld/u', false], ['http://10.0.0.1/u', false], ['http://localhost.evil.example/u', false],
    ['https://user:secret@upload.example/u', false], ['javascript:alert(1)', false], ['ftp://upload.example/u', false], ['/relative', false],
    ['https://upload.example/a b', false], ['https://upload.example/\u202egpj.exe', false],
  ])('with put and get %s, accepts it: %s (§4 "MUST provide Transport Layer Security"; http only on loopback)', (url, isAccepted) => {
    expect(parseSlot(slotWith(`<put url='${url}'/><get url='${url}'/>`)).ok).toBe(isAccepted);
  });

  it.each([
    ['two puts', `<put url='https://a.example/1'/><put url='https://a.example/2'/>${GET}`],
    ['no get', "<put url='https://a.example/1'/>"],
    ['a put without url', `<put/>${GET}`],
    ['a header value HTTP cannot carry', `<put url='https://a.example/1'><header name='Cookie'>€</header></put>${GET}`],
    [`more than ${MAX_SLOT_HEADERS} headers`, `<put url='https://a.example/1'>${"<header name='Cookie'>a</header>".repeat(MAX_SLOT_HEADERS + 1)}</put>${GET}`],
  ])('refuses a slot with %s', (_label, inner) => {
    expect(parseSlot(slotWith(inner))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });
});

describe('XEP-0363 error conditions (§5)', () => {
  it.each([
    ['file too large with its limit (§5 example)', TOO_LARGE, { reason: 'file-too-large', maxFileSize: 20000, error: { condition: 'not-acceptable', type: 'modify' } }],
    ['a quota with a retry stamp (§5 example)', QUOTA, { reason: 'quota', retryAt: '2017-12-03T23:42:05Z', error: { condition: 'resource-constraint', type: 'wait' } }],
    ['forbidden (§5 example)', FORBIDDEN, { reason: 'not-allowed', error: { condition: 'forbidden', type: 'auth', text: 'Only premium members are allowed to upload files' } }],
    ['not-allowed (before 0.7.0)', "<iq type='error'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", { reason: 'not-allowed' }],
    ["Prosody's daily quota (resource-constraint, no retry)", "<iq type='error'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Daily quota reached</text></error></iq>",
      { reason: 'quota', retryAt: null }],
    ['a retry stamp not in UTC (MUST be expressed in UTC)', QUOTA.replace('23:42:05Z', '23:42:05+01:00'), { reason: 'quota', retryAt: null }],
    ['file too large without a limit', TOO_LARGE.replace('<max-file-size>20000</max-file-size>', ''), { reason: 'file-too-large', maxFileSize: null }],
    ["Prosody's file type refusal (not-acceptable, no file-too-large)", "<iq type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
      { reason: 'other', error: { condition: 'not-acceptable' } }],
  ])('reads %s', (_label, stanza, expected) => {
    expect(parseUploadRefusal(el(stanza))).toMatchObject(expected);
  });

  it('reads no refusal from a stanza without an error', () => {
    expect(parseUploadRefusal(el(SLOT))).toBeNull();
  });

  it('builds the §5 errors so that they read back the same', () => {
    const tooLarge = el(`<iq type='error'>${reparse(buildFileTooLargeError({ maxFileSize: 20000, text: 'File too large. The maximum file size is 20000 bytes' })).toString()}</iq>`);
    expect(shape(tooLarge.getChild('error')!)).toEqual(shape(el(TOO_LARGE).getChild('error')!));
    const quota = buildQuotaError({ retryAt: '2017-12-03T23:42:05Z', text: 'Quota reached. You can only upload 5 files in 5 minutes' });
    expect(shape(reparse(quota))).toEqual(shape(el(QUOTA).getChild('error')!));
    expect(parseUploadRefusal(reparse(buildQuotaError({ retryAt: null })))).toMatchObject({ reason: 'quota', retryAt: null });
  });
});

describe('XEP-0363 properties', () => {
  const url = fc.tuple(fc.constantFrom('https://up.example', 'https://[2001:db8::1]:8443', 'http://127.0.0.1:5280'), fc.stringMatching(/^[A-Za-z0-9%._~-]{0,40}$/))
    .map(([origin, path]) => `${origin}/${path}`);
  const slot: fc.Arbitrary<Slot> = fc.record({
    putUrl: url, getUrl: url,
    headers: fc.array(fc.record({ name: fc.constantFrom('Authorization' as const, 'Cookie' as const, 'Expires' as const), value: fc.stringMatching(/^[!-~][ -~]{0,60}$/) }), { maxLength: 4 }),
  });
  const request: fc.Arbitrary<SlotRequest> = fc.record({
    filename: fc.string({ minLength: 1, maxLength: 60 }).filter((name) => !/[/\p{Cc}]/u.test(name) && name.trim() !== '' && !/[\uD800-\uDFFF]/.test(name)),
    size: fc.nat(), contentType: fc.constantFrom(null, 'image/jpeg', 'text/plain; charset=utf-8'),
  });

  it('round-trips any slot and any request', () => {
    fc.assert(fc.property(slot, (value) => {
      expect(parseSlot(reparse(buildSlot(value)))).toEqual({ ok: true, value });
    }));
    fc.assert(fc.property(request, (value) => {
      expect(parseSlotRequest(reparse(buildSlotRequest(value)))).toEqual({ ok: true, value });
    }));
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    const fixtures = [payload(SLOT).toString(), payload(REQUEST).toString(), TOO_LARGE, QUOTA, FORBIDDEN];
    fc.assert(fc.property(fc.oneof(arbitrarySharingElement, mutatedFixture(fixtures)), (element: Element) => {
      expectOkOrStanzaError(parseSlot(element));
      expectOkOrStanzaError(parseSlotRequest(element), ['bad-request', 'not-acceptable']);
      const refusal = parseUploadRefusal(element);
      expect(refusal === null || typeof refusal.reason === 'string').toBe(true);
    }), { numRuns: 2000 });
  });

  it('never throws reading random attribute text as a slot URL', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => {
      expect(typeof parseSlot(reparse(xml('slot', { xmlns: NS_HTTP_UPLOAD }, xml('put', { url: text }), xml('get', { url: text })))).ok).toBe('boolean');
    }));
  });
});
