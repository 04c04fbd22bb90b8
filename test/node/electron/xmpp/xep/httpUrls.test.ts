import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_URL_LENGTH, readHttpUrl } from '../../../../../electron/xmpp/xep/httpUrls';

describe('readHttpUrl', () => {
  it.each([
    ['https://upload.montague.tld/4a77/tr%C3%A8s%20cool.jpg', 'https://upload.montague.tld/4a77/tr%C3%A8s%20cool.jpg', 'https://upload.montague.tld/4a77/tr%C3%A8s%20cool.jpg'],
    ['HTTPS://A.EXAMPLE/', 'HTTPS://A.EXAMPLE/', 'HTTPS://A.EXAMPLE/'],
    ['http://prime.kontalk.net/media/x', null, 'http://prime.kontalk.net/media/x'],
    ['http://127.0.0.1:5280/f', 'http://127.0.0.1:5280/f', 'http://127.0.0.1:5280/f'],
    ['http://0x7f.1/f', 'http://0x7f.1/f', 'http://0x7f.1/f'],
    ['http://[::1]/f', 'http://[::1]/f', 'http://[::1]/f'],
    ['http://[::ffff:127.0.0.1]/f', 'http://[::ffff:127.0.0.1]/f', 'http://[::ffff:127.0.0.1]/f'],
    ['http://localhost/f', 'http://localhost/f', 'http://localhost/f'],
    ['http://localhost.evil.example/f', null, 'http://localhost.evil.example/f'],
    ['http://[::ffff:10.0.0.1]/f', null, 'http://[::ffff:10.0.0.1]/f'],
    ['https://user:pw@a.example/', null, null],
    ['https://a.example@evil.example/', null, null],
    ['http:a.example/x', null, null],
    ['https://@evil.example/', null, null],
    ['https:\\\\evil.example/', null, null],
    ['https:/\\evil.example/', null, null],
    ['ftp://a.example/x', null, null],
    ['javascript:alert(1)', null, null],
    ['data:text/html,<script>', null, null],
    ['https://a.example/a b', null, null],
    ['https://a.example/\u202egpj.exe', null, null],
    ['https://a.example/\u200b', null, null],
    ['https:///path', null, null],
  ])('reads %s as tls: %s, web: %s (https anywhere, http on loopback only for tls; no userinfo, odd characters or unwritten host)', (text, tls, web) => {
    expect(readHttpUrl(text, 'tls')).toBe(tls);
    expect(readHttpUrl(text, 'web')).toBe(web);
  });

  it('trims the text and keeps it as sent', () => {
    expect(readHttpUrl('  https://a.example/x \n', 'tls')).toBe('https://a.example/x');
  });

  it(`refuses URLs longer than ${MAX_URL_LENGTH} characters and absent text`, () => {
    expect(readHttpUrl(`https://a.example/${'p'.repeat(MAX_URL_LENGTH)}`, 'web')).toBeNull();
    expect(readHttpUrl(null, 'web')).toBeNull();
    expect(readHttpUrl('', 'web')).toBeNull();
  });

  it('never throws, and returns only http(s) text it was given', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.webUrl()), fc.constantFrom('tls' as const, 'web' as const), (text, policy) => {
      const url = readHttpUrl(text, policy);
      expect(url === null || (text.includes(url) && /^https?:\/\//i.test(url))).toBe(true);
    }));
  });
});
