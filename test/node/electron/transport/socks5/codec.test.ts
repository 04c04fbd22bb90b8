import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  REPLY, REPLY_FOR_ERROR, dstAddr, encodeConnectRequest, encodeGreeting, encodeMethodChoice, encodeReply,
  parseConnectRequest, parseGreeting, parseMethodChoice, parseReply,
} from '../../../../../electron/transport/socks5/codec';

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const ascii = (text: string): string => Array.from(Buffer.from(text, 'ascii'), (b) => b.toString(16).padStart(2, '0')).join('');

// XEP-0065 §7 (Use with Multi-User Chat): the Requester hashes the SID, its real JID and the Target's room JID,
// and the example gives the resulting 'dstaddr'.
const MUC_HASH = '416781edf1ae50bad01cb8509ba35b43952bc345';

describe('dstAddr (XEP-0065 §5.3.2: SHA1(SID + Requester JID + Target JID), hex)', () => {
  it('reproduces the dstaddr of the XEP-0065 §7 example', () => {
    expect(dstAddr('yia72g3v49j7', 'requester@example.com/foo', 'room@conference.example.net/Tget')).toBe(MUC_HASH);
  });

  it('is lower-case hex of 40 characters and depends on the order of the JIDs (XEP-0260 owner first)', () => {
    const forward = dstAddr('vxf9n471bn46', 'requester@example.com/foo', 'target@example.org/bar');
    const reverse = dstAddr('vxf9n471bn46', 'target@example.org/bar', 'requester@example.com/foo');
    expect(forward).toMatch(/^[0-9a-f]{40}$/);
    expect(forward).toBe('98b8d688d0f5d895fd41c5e7309a2e9e33ba32ff');
    expect(reverse).not.toBe(forward);
  });
});

describe('client greeting (RFC 1928 §3)', () => {
  it.each([
    ['no-auth only', [0x00], '05 01 00'],
    ['no-auth and username/password', [0x00, 0x02], '05 02 00 02'],
  ])('encodes %s', (_label, methods, bytes) => {
    expect(encodeGreeting(methods)).toEqual(hex(bytes));
    expect(parseGreeting(hex(bytes))).toEqual({ kind: 'parsed', value: { methods }, consumed: hex(bytes).length });
  });

  it.each([
    ['', 'need-more'], ['05', 'need-more'], ['05 02 00', 'need-more'],
  ])('asks for more bytes on the partial greeting %j', (bytes, kind) => {
    expect(parseGreeting(bytes ? hex(bytes) : new Uint8Array()).kind).toBe(kind);
  });

  it.each([
    ['04 01 00', 'bad-version'],
    ['04', 'bad-version'],
    ['05 00', 'no-methods'],
  ])('rejects %s as %s', (bytes, code) => {
    expect(parseGreeting(hex(bytes))).toMatchObject({ kind: 'error', code });
  });

  it('refuses to encode an empty or oversize method list', () => {
    expect(() => encodeGreeting([])).toThrow(RangeError);
    expect(() => encodeGreeting(new Array(256).fill(0))).toThrow(RangeError);
  });
});

describe('method choice (RFC 1928 §3)', () => {
  it.each([['05 00', 0x00], ['05 ff', 0xff]])('round-trips %s', (bytes, method) => {
    expect(encodeMethodChoice(method)).toEqual(hex(bytes));
    expect(parseMethodChoice(hex(bytes))).toEqual({ kind: 'parsed', value: { method }, consumed: 2 });
  });

  it('needs two bytes and version 5', () => {
    expect(parseMethodChoice(hex('05')).kind).toBe('need-more');
    expect(parseMethodChoice(hex('01 00'))).toMatchObject({ kind: 'error', code: 'bad-version' });
  });
});

describe('CONNECT request (RFC 1928 §4, XEP-0065 §10.2: CMD 1, ATYP 3, DST.ADDR hash, DST.PORT 0)', () => {
  // 05 = version, 01 = CONNECT, 00 = reserved, 03 = domain name, 28 = 40 bytes of hash, 00 00 = port 0
  const wire = `05 01 00 03 28 ${ascii(MUC_HASH)} 00 00`;

  it('encodes the XEP-0065 hash request byte for byte', () => {
    expect(encodeConnectRequest(MUC_HASH)).toEqual(hex(wire));
  });

  it('parses it back and reports the bytes it consumed, leaving data that follows', () => {
    const withData = new Uint8Array([...hex(wire), 0xde, 0xad]);
    expect(parseConnectRequest(withData)).toEqual({ kind: 'parsed', value: { dstAddr: MUC_HASH, port: 0 }, consumed: 47 });
  });

  it('asks for more at every strict prefix', () => {
    const bytes = hex(wire);
    for (let length = 0; length < bytes.length; length += 1) {
      expect(parseConnectRequest(bytes.subarray(0, length)).kind).toBe('need-more');
    }
  });

  it.each([
    ['wrong version', '04 01 00 03 01 61 00 00', 'bad-version'],
    ['non-zero reserved octet', '05 01 01 03 01 61 00 00', 'bad-reserved'],
    ['UDP ASSOCIATE', '05 03 00 03 01 61 00 00', 'bad-command'],
    ['BIND', '05 02', 'bad-command'],
    ['IPv4 address type', '05 01 00 01 7f 00 00 01 00 00', 'bad-address-type'],
    ['IPv6 address type', '05 01 00 04', 'bad-address-type'],
    ['unknown address type', '05 01 00 02', 'bad-address-type'],
    ['empty domain', '05 01 00 03 00 00 00', 'empty-address'],
  ])('rejects a request with %s', (_label, bytes, code) => {
    expect(parseConnectRequest(hex(bytes))).toMatchObject({ kind: 'error', code });
  });

  it('rejects a domain longer than the listener allows before it has all of it', () => {
    expect(parseConnectRequest(hex('05 01 00 03 29'), 40)).toMatchObject({ kind: 'error', code: 'oversize' });
  });

  it('maps request errors to the REP codes of RFC 1928 §6', () => {
    expect(REPLY_FOR_ERROR['bad-command']).toBe(0x07);
    expect(REPLY_FOR_ERROR['bad-address-type']).toBe(0x08);
  });

  it('refuses to encode a non-ASCII, empty or >255-byte address or a bad port', () => {
    expect(() => encodeConnectRequest('é')).toThrow(RangeError);
    expect(() => encodeConnectRequest('')).toThrow(RangeError);
    expect(() => encodeConnectRequest('a'.repeat(256))).toThrow(RangeError);
    expect(encodeConnectRequest('a'.repeat(255))).toHaveLength(262);
    expect(() => encodeConnectRequest('a', 65536)).toThrow(RangeError);
  });
});

describe('reply (RFC 1928 §6; XEP-0065: BND.ADDR/BND.PORT echo DST.ADDR/DST.PORT)', () => {
  it('encodes success with the hash echoed', () => {
    const bytes = encodeReply({ reply: REPLY.succeeded, boundAddress: MUC_HASH, boundPort: 0 });
    // 05 = version, 00 = succeeded, 00 = reserved, 03 = domain, 28 = length 40, hash, 00 00 = port
    expect(bytes).toEqual(hex(`05 00 00 03 28 ${ascii(MUC_HASH)} 00 00`));
    expect(parseReply(bytes)).toEqual({
      kind: 'parsed', consumed: 47,
      value: { reply: 0, addressType: 'domain', boundAddress: MUC_HASH, boundPort: 0 },
    });
  });

  it.each([
    ['IPv4 0.0.0.0:1080', '05 00 00 01 00 00 00 00 04 38', { addressType: 'ipv4', boundAddress: '0.0.0.0', boundPort: 1080 }],
    ['IPv6 ::1 port 0', `05 00 00 04 ${'00'.repeat(15)}01 00 00`, { addressType: 'ipv6', boundAddress: '0:0:0:0:0:0:0:1', boundPort: 0 }],
    ['connection refused', '05 05 00 03 01 61 00 07', { reply: 5, boundAddress: 'a', boundPort: 7 }],
  ])('parses a reply carrying %s', (_label, bytes, expected) => {
    expect(parseReply(hex(bytes))).toMatchObject({ kind: 'parsed', value: expected, consumed: hex(bytes).length });
  });

  it.each([
    ['05 00 00 05', 'bad-address-type'], ['00 00 00 03', 'bad-version'], ['05 00 07', 'bad-reserved'],
  ])('rejects %s as %s', (bytes, code) => {
    expect(parseReply(hex(bytes))).toMatchObject({ kind: 'error', code });
  });

  it('asks for more on a truncated reply', () => {
    expect(parseReply(hex('05 00 00 01 7f 00 00')).kind).toBe('need-more');
  });
});

describe('parsers on arbitrary bytes', () => {
  const parsers = { parseGreeting, parseMethodChoice, parseReply, parseConnectRequest };

  it.each(Object.entries(parsers))('%s never throws and never claims more bytes than it was given', (_name, parse) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const step = parse(bytes);
      expect(['need-more', 'parsed', 'error']).toContain(step.kind);
      if (step.kind === 'parsed') expect(step.consumed).toBeLessThanOrEqual(bytes.length);
    }), { numRuns: 2000 });
  });

  it('round-trips any ASCII domain and port through request and reply', () => {
    const domain = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 255 });
    fc.assert(fc.property(domain, fc.integer({ min: 0, max: 0xffff }), (address, port) => {
      expect(parseConnectRequest(encodeConnectRequest(address, port))).toMatchObject({ kind: 'parsed', value: { dstAddr: address, port } });
      expect(parseReply(encodeReply({ reply: 0, boundAddress: address, boundPort: port }))).toMatchObject({
        kind: 'parsed', value: { boundAddress: address, boundPort: port },
      });
    }));
  });
});
