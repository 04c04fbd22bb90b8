import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../../../electron/transport/http/httpError';
import { checkTarget, headersFor, isPlainHttpUrl, nextRedirect } from '../../../../../electron/transport/http/redirectPolicy';

function thrown(run: () => unknown): HttpError {
  try { run(); } catch (error) { expect(error).toBeInstanceOf(HttpError); return error as HttpError; }
  throw new Error('did not throw');
}

describe('redirect policy', () => {
  it.each([
    ['http://example.org/a', true],
    ['https://example.org/a', true],
    ['https://user:pw@example.org/a', false],
    ['https://user@example.org/a', false],
    ['ftp://example.org/a', false],
    ['file:///etc/passwd', false],
  ])('isPlainHttpUrl(%s) is %s', (url, expected) => {
    expect(isPlainHttpUrl(new URL(url))).toBe(expected);
  });

  it.each([
    ['file:///etc/passwd', /redirected to file:\/\/\/etc\/passwd, which is not an http or https address/],
    ['ftp://example.org/x', /which is not an http or https address/],
    ['http://example.org/x', /redirected from https to unencrypted http/],
    ['https://user:secret@example.org/x', /^Ferry does not open the address https:\/\/example\.org\/x$/],
  ])('refuses a redirect from https to %s as kind "scheme"', (target, message) => {
    const error = thrown(() => checkTarget(new URL(target), new URL('https://example.org/start'), isPlainHttpUrl));
    expect(error.kind).toBe('scheme');
    expect(error.message).toMatch(message);
  });

  it('resolves a relative Location against the current address', () => {
    const next = nextRedirect({ from: new URL('https://example.org/a/b'), location: '../c?d=1', visited: new Set(['https://example.org/a/b']), maxRedirects: 5, isAllowedUrl: isPlainHttpUrl });
    expect(next.href).toBe('https://example.org/c?d=1');
  });

  it.each([
    ['a loop', 'https://example.org/a', ['https://example.org/a', 'https://example.org/b'], 5, /^the server redirected in a loop \(back to https:\/\/example\.org\/a\)$/],
    ['too many', 'https://example.org/z', ['https://example.org/1', 'https://example.org/2', 'https://example.org/3'], 2, /^too many redirects \(more than 2\)$/],
    ['no Location', undefined, ['https://example.org/1'], 5, /redirected without saying where to/],
  ])('refuses %s as kind "redirects"', (_name, location, visited, maxRedirects, message) => {
    const error = thrown(() => nextRedirect({ from: new URL('https://example.org/b'), location, visited: new Set(visited), maxRedirects, isAllowedUrl: isPlainHttpUrl }));
    expect(error.kind).toBe('redirects');
    expect(error.message).toMatch(message);
  });

  it('drops credentials on a redirect to another origin only (RFC 9110 §15.4)', () => {
    const headers = { Authorization: 'Bearer t', Cookie: 'c=1', 'X-Other': 'kept' };
    const first = new URL('https://example.org/a');
    expect(headersFor(headers, first, new URL('https://example.org/b'))).toEqual(headers);
    expect(headersFor(headers, first, new URL('https://cdn.example.org/b'))).toEqual({ 'X-Other': 'kept' });
  });
});
