import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import xml, { type Element } from '@xmpp/xml';
import { MAX_DESCRIPTION_LENGTH } from '../../../../../electron/xmpp/xep/xep0096FileTransfer';
import { NS_OOB, buildFileLinkChildren, buildOob, parseOob, readFileLink, type OobLink } from '../../../../../electron/xmpp/xep/xep0066Oob';
import { expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { arbitrarySharingElement } from '../../../../support/sharingFixtures';
import { el, reparse } from '../../../../support/xepFixtures';

// §2 "Sender Communicates a URI".
const SPEC_MESSAGE = `
<message from='stpeter@jabber.org/work' to='MaineBoy@jabber.org/home'>
  <body>Yeah, but do you have a license to Jabber?</body>
  <x xmlns='jabber:x:oob'>
    <url>http://www.jabber.org/images/psa-license.jpg</url>
  </x>
</message>`;
// Seed 002 "Sending": the link after a Kontalk upload, with the media type on <url/> and no body.
const KONTALK_MESSAGE = `
<message from='romeo@montague.net/orchard' id='dsw71gj3' to='juliet@capulet.com/balcony'>
  <x xmlns='jabber:x:oob'>
    <url type='image/png'>http://prime.kontalk.net/media/filename_or_hash</url>
  </x>
</message>`;
// How Conversations shares an uploaded file: the body repeats the URL.
const CONVERSATIONS_MESSAGE = `
<message from='juliet@capulet.lit/balcony' to='romeo@montague.lit' type='chat' id='b8b6d1c0'>
  <body>https://share.capulet.lit/4a771ac1/photo.jpg</body>
  <x xmlns='jabber:x:oob'><url>https://share.capulet.lit/4a771ac1/photo.jpg</url></x>
  <request xmlns='urn:xmpp:receipts'/>
  <markable xmlns='urn:xmpp:chat-markers:0'/>
</message>`;
const oob = (inner: string) => el(`<x xmlns='${NS_OOB}'>${inner}</x>`);

describe('XEP-0066 jabber:x:oob (§2)', () => {
  it.each([
    ['the §2 example', el(SPEC_MESSAGE).getChild('x', NS_OOB)!, { url: 'http://www.jabber.org/images/psa-license.jpg', mediaType: null, description: '' }],
    ['the seed 002 link with a type on <url/>', el(KONTALK_MESSAGE).getChild('x', NS_OOB)!, { url: 'http://prime.kontalk.net/media/filename_or_hash', mediaType: 'image/png', description: '' }],
    ['a link with a description (§1 example, as x)', oob('<url>http://www.jabber.org/images/psa-license.jpg</url><desc>A license to Jabber!</desc>'),
      { url: 'http://www.jabber.org/images/psa-license.jpg', mediaType: null, description: 'A license to Jabber!' }],
    ['a type that is no media type (dropped)', oob("<url type='mime_type'>https://a.example/f</url>"), { url: 'https://a.example/f', mediaType: null, description: '' }],
  ])('parses %s and round-trips it', (_label, element, expected) => {
    expect(parseOob(element)).toEqual({ ok: true, value: expected });
    expect(parseOob(reparse(buildOob(expected)))).toEqual({ ok: true, value: expected });
  });

  it('builds the seed 002 <x/> child for child', () => {
    const built = buildOob({ url: 'http://prime.kontalk.net/media/filename_or_hash', mediaType: 'image/png', description: '' });
    expect(shape(reparse(built))).toEqual(shape(el(KONTALK_MESSAGE).getChild('x', NS_OOB)!));
  });

  it.each([
    ['no <url/> (MUST contain a <url/>)', '<desc>nothing</desc>', 'bad-request'],
    ['an ftp URL (§7 allows it; Ferry follows http(s) only)', '<url>ftp://ftp.example/f</url>', 'not-acceptable'],
    ['an OMEMO aesgcm URL', '<url>aesgcm://share.example/f#0011</url>', 'not-acceptable'],
    ['a javascript: URL', '<url>javascript:alert(1)</url>', 'not-acceptable'],
    ['credentials in the URL', '<url>https://bank.example@evil.example/</url>', 'not-acceptable'],
    ['a bidi override in the URL', '<url>https://evil.example/\u202egpj.exe</url>', 'not-acceptable'],
    ['an empty URL', '<url>  </url>', 'not-acceptable'],
  ])('refuses an x with %s', (_label, inner, condition) => {
    expect(parseOob(oob(inner))).toMatchObject({ ok: false, error: { condition } });
  });

  it(`cuts a description past ${MAX_DESCRIPTION_LENGTH} characters and refuses a URL past the length cap`, () => {
    const long = parseOob(oob(`<url>https://a.example/f</url><desc>${'d'.repeat(MAX_DESCRIPTION_LENGTH * 10)}</desc>`));
    expect(long.ok && long.value.description.length).toBe(MAX_DESCRIPTION_LENGTH);
    expect(parseOob(oob(`<url>https://a.example/${'p'.repeat(20000)}</url>`)).ok).toBe(false);
  });

  it('refuses to build a link it would not read back', () => {
    expect(() => buildOob({ url: 'ftp://a.example/f', mediaType: null, description: '' })).toThrow(RangeError);
    expect(() => buildOob({ url: ' https://a.example/f', mediaType: null, description: '' })).toThrow(RangeError);
  });
});

describe('XEP-0066 file link messages', () => {
  it.each([
    ['Conversations: the body repeats the URL', CONVERSATIONS_MESSAGE, { url: 'https://share.capulet.lit/4a771ac1/photo.jpg', mediaType: null, description: '' }],
    ['Kontalk (seed 002): no body', KONTALK_MESSAGE, { url: 'http://prime.kontalk.net/media/filename_or_hash', mediaType: 'image/png', description: '' }],
    ['the §2 example: a body about something else', SPEC_MESSAGE, null],
    ['an error bounce of a file link', CONVERSATIONS_MESSAGE.replace("type='chat'", "type='error'"), null],
    ['two links', KONTALK_MESSAGE.replace('</message>', "<x xmlns='jabber:x:oob'><url>https://b.example/2</url></x></message>"), null],
    ['a link Ferry will not follow', KONTALK_MESSAGE.replace('http://prime', 'ftp://prime'), null],
    ['a body that differs from the URL', CONVERSATIONS_MESSAGE.replace('photo.jpg</body>', 'other.jpg</body>'), null],
    ['no OOB at all', "<message><body>https://share.capulet.lit/x</body></message>", null],
  ])('reads %s', (_label, stanza, expected) => {
    expect(readFileLink(el(stanza))).toEqual(expected);
  });

  it('builds the Conversations shape: a body equal to the URL, then the x', () => {
    const link: OobLink = { url: 'https://share.capulet.lit/4a771ac1/photo.jpg', mediaType: null, description: '' };
    const message = reparse(xml('message', { to: 'romeo@montague.lit', type: 'chat' }, ...buildFileLinkChildren(link)));
    expect(readFileLink(message)).toEqual(link);
    expect(message.getChildText('body')).toBe(link.url);
  });
});

describe('XEP-0066 properties', () => {
  const link: fc.Arbitrary<OobLink> = fc.record({
    url: fc.tuple(fc.constantFrom('https://share.example', 'http://prime.kontalk.net', 'http://[::1]:5280'), fc.stringMatching(/^[A-Za-z0-9%._~/-]{0,40}$/))
      .map(([origin, path]) => `${origin}/${path}`),
    mediaType: fc.constantFrom(null, 'image/png', 'application/octet-stream', 'text/plain; charset=utf-8'),
    description: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,!-]{0,40}[A-Za-z0-9]$/)),
  });

  it('round-trips any link through buildOob/parseOob and through a file link message', () => {
    fc.assert(fc.property(link, (value) => {
      expect(parseOob(reparse(buildOob(value)))).toEqual({ ok: true, value });
      expect(readFileLink(reparse(xml('message', {}, ...buildFileLinkChildren(value))))).toEqual(value);
    }));
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    fc.assert(fc.property(fc.oneof(arbitrarySharingElement, mutatedFixture([SPEC_MESSAGE, KONTALK_MESSAGE, CONVERSATIONS_MESSAGE])), (element: Element) => {
      expectOkOrStanzaError(parseOob(element), ['bad-request', 'not-acceptable']);
      for (const x of element.getChildren('x', NS_OOB)) expectOkOrStanzaError(parseOob(x), ['bad-request', 'not-acceptable']);
      const fileLink = readFileLink(element);
      expect(fileLink === null || typeof fileLink.url === 'string').toBe(true);
    }), { numRuns: 2000 });
  });
});
