import { describe, expect, it } from 'vitest';
import { describeRequestError, HttpError, statusError } from '../../../../../electron/transport/http/httpError';

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('HttpError messages', () => {
  it.each([
    [413, '', 'the server answered 413 Payload Too Large'],
    [404, '<h1>Not\n   found</h1>', 'the server answered 404 Not Found: <h1>Not found</h1>'],
    [599, '', 'the server answered 599'],
  ])('statusError(%i) reads "%s"', (status, body, message) => {
    expect(statusError(status, body)).toMatchObject({ kind: 'status', status, message });
  });

  it('keeps only the start of a long body', () => {
    const error = statusError(500, 'x'.repeat(1000));
    expect(error.body).toBe(`${'x'.repeat(200)}…`);
  });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls', 'the TLS certificate of example.org is not trusted: it is self-signed (self-signed certificate)'],
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'tls', 'the TLS certificate of example.org has expired (certificate has expired)'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'tls', /^the TLS certificate of example\.org is for a different name/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', 'tls', 'the TLS connection to example.org failed: wrong version number'],
    ['ECONNREFUSED', 'connect ECONNREFUSED', 'network', 'could not connect to example.org: the connection was refused'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND', 'network', 'could not find the server example.org (ENOTFOUND)'],
    ['ECONNRESET', 'read ECONNRESET', 'network', 'the connection to example.org was reset'],
  ])('describes %s', (code, detail, kind, message) => {
    const error = describeRequestError(nodeError(code, detail), 'example.org');
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it('passes an HttpError through unchanged', () => {
    const original = new HttpError('stalled', 'no bytes');
    expect(describeRequestError(original, 'example.org')).toBe(original);
  });
});
