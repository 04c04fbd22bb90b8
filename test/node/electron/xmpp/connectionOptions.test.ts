import { describe, expect, it } from 'vitest';
import { formatService, isLoopbackHost, isPlaintextAllowed, parseService } from '../../../../electron/xmpp/connectionOptions';

describe('parseService', () => {
  it.each([
    ['xmpp://127.0.0.1:35222', { protocol: 'xmpp', host: '127.0.0.1', port: 35222 }],
    ['xmpps://chat.example.org:5223', { protocol: 'xmpps', host: 'chat.example.org', port: 5223 }],
    ['xmpp://example.org', { protocol: 'xmpp', host: 'example.org', port: 5222 }],
    ['xmpps://example.org', { protocol: 'xmpps', host: 'example.org', port: 5223 }],
    ['xmpp://[::1]:5222', { protocol: 'xmpp', host: '::1', port: 5222 }],
  ])('%s', (service, expected) => {
    expect(parseService(service)).toEqual(expected);
  });

  it.each(['http://example.org', 'example.org:5222', 'xmpp://', 'xmpp://host:0', 'xmpp://host:70000', 'xmpp://a b'])(
    'refuses %s with bad-request', (service) => {
      expect(() => parseService(service)).toThrow(expect.objectContaining({ code: 'bad-request' }));
    });

  it('formats back, bracketing IPv6', () => {
    expect(formatService({ protocol: 'xmpp', host: '::1', port: 5222 })).toBe('xmpp://[::1]:5222');
    expect(formatService(parseService('xmpps://example.org'))).toBe('xmpps://example.org:5223');
  });
});

describe('TLS policy: plaintext only for loopback and only when allowed', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['::1', true], ['[::1]', true], ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true], ['localhost', true], ['LOCALHOST.', true],
    ['128.0.0.1', false], ['10.0.0.1', false], ['::2', false], ['::ffff:10.0.0.1', false],
    ['localhost.example.org', false], ['mylocalhost', false], ['example.org', false], ['', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each([
    [true, '127.0.0.1', true],
    [false, '127.0.0.1', false],
    [undefined, '127.0.0.1', false],
    [true, '192.168.1.10', false],
    [true, 'example.org', false],
  ])('allowPlaintext=%s on %s → %s', (allowPlaintext, host, expected) => {
    expect(isPlaintextAllowed({ allowPlaintext, host })).toBe(expected);
  });
});
