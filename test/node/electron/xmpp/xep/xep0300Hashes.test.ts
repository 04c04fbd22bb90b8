import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_HASHES, NS_HASHES, NS_HASHES_1, VERIFIABLE_HASH_ALGORITHMS, base64ToHex, buildHash, buildHashUsed, hexToBase64,
  isVerifiableAlgorithm, isWeakHashAlgorithm, parseHash, parseHashUsed, readHashes, strongestVerifiableHash,
} from '../../../../../electron/xmpp/xep/xep0300Hashes';
import { arbitraryJingleElement, expectOkOrStanzaError, mutatedFixture } from '../../../../support/jingleFixtures';
import { el, reparse } from '../../../../support/xepFixtures';

const SHA256 = '2XarmwTlNxDAMkvymloX3S5+VbylNrJt/l5QyPa+YoU=';
const SHA256_HEX = 'd976ab9b04e53710c0324bf29a5a17dd2e7e55bca536b26dfe5e50c8f6be6285';
const SHA1 = '2AfMGH8O7UNPTvUVAM9aK13mpCY=';

const FIXTURES = [
  `<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>${SHA256}</hash>`,
  `<hash xmlns='urn:xmpp:hashes:2' algo='sha-1'>${SHA1}</hash>`,
  "<hash-used xmlns='urn:xmpp:hashes:2' algo='sha-256'/>",
  `<file xmlns='urn:xmpp:jingle:apps:file-transfer:5'><hash xmlns='urn:xmpp:hashes:2' algo='sha-1'>${SHA1}</hash>`
    + `<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>${SHA256}</hash><hash-used xmlns='urn:xmpp:hashes:2' algo='sha3-256'/></file>`,
];

describe('XEP-0300 <hash/> (§3)', () => {
  it.each([
    ['the sha-256 example (XEP-0300 §3)', FIXTURES[0], { algo: 'sha-256', base64: SHA256 }],
    ['the sha-1 example (XEP-0300 §3)', FIXTURES[1], { algo: 'sha-1', base64: SHA1 }],
    ['a urn:xmpp:hashes:1 value in base64 (XEP-0300 0.4 §3)', `<hash xmlns='${NS_HASHES_1}' algo='sha-256'>${SHA256}</hash>`, { algo: 'sha-256', base64: SHA256 }],
    ['a urn:xmpp:hashes:1 value in hex of the digest size (as XEP-0234 :4 examples write them)', `<hash xmlns='${NS_HASHES_1}' algo='sha-256'>${SHA256_HEX.toUpperCase()}</hash>`,
      { algo: 'sha-256', base64: SHA256 }],
    ['an algorithm name in upper case, read in lower case', `<hash xmlns='${NS_HASHES}' algo='SHA-256'>${SHA256}</hash>`, { algo: 'sha-256', base64: SHA256 }],
    ['an algorithm of unknown digest size', `<hash xmlns='${NS_HASHES}' algo='shake256'>${SHA256}</hash>`, { algo: 'shake256', base64: SHA256 }],
  ])('parses %s and round-trips it into urn:xmpp:hashes:2', (_label, text, expected) => {
    expect(parseHash(el(text))).toEqual({ ok: true, value: expected });
    const built = buildHash(expected);
    expect(built.attrs.xmlns).toBe(NS_HASHES);
    expect(parseHash(reparse(built))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['whitespace inside ("MUST NOT include whitespace")', `<hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA256.slice(0, 20)}\n${SHA256.slice(20)}</hash>`],
    ['surrounding whitespace', `<hash xmlns='${NS_HASHES}' algo='sha-256'> ${SHA256}</hash>`],
    ['non-zero padding bits ("MUST set padding bits to zero")', `<hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA256.replace('YoU=', 'YoV=')}</hash>`],
    ['missing padding', `<hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA256.slice(0, -1)}</hash>`],
    ['the URL-safe alphabet', `<hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA256.replace('+', '-').replace('/', '_')}</hash>`],
    ['a sha-1 digest labelled sha-256', `<hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA1}</hash>`],
    ['hex under urn:xmpp:hashes:2', `<hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA256_HEX}</hash>`],
    ['the XEP-0234 :4 example (32 hex digits labelled sha-1)', `<hash xmlns='${NS_HASHES_1}' algo='sha-1'>552da749930852c69ae5d2141d3766b1</hash>`],
    ['no algo', `<hash xmlns='${NS_HASHES}'>${SHA256}</hash>`],
    ['an algo that is not an NCName', `<hash xmlns='${NS_HASHES}' algo='sha 256'>${SHA256}</hash>`],
    ['no value', `<hash xmlns='${NS_HASHES}' algo='sha-256'/>`],
    ['an over-long digest of an unknown algorithm', `<hash xmlns='${NS_HASHES}' algo='x-huge'>${Buffer.alloc(65).toString('base64')}</hash>`],
    ['another namespace', `<hash xmlns='urn:other' algo='sha-256'>${SHA256}</hash>`],
  ])('refuses %s as bad-request', (_label, text) => {
    expect(parseHash(el(text))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('parses <hash-used/> (XEP-0300 §3) and round-trips it', () => {
    expect(parseHashUsed(el(FIXTURES[2]))).toEqual({ ok: true, value: { algo: 'sha-256' } });
    expect(parseHashUsed(reparse(buildHashUsed('sha3-256')))).toEqual({ ok: true, value: { algo: 'sha3-256' } });
    expect(parseHashUsed(el(`<hash-used xmlns='${NS_HASHES}'/>`)).ok).toBe(false);
  });

  it('refuses to build a non-canonical value or a bad algorithm name', () => {
    expect(() => buildHash({ algo: 'sha-256', base64: SHA256.replace('YoU=', 'YoV=') })).toThrow(RangeError);
    expect(() => buildHash({ algo: 'sha-256', base64: '' })).toThrow(RangeError);
    expect(() => buildHashUsed('sha 256')).toThrow(RangeError);
  });
});

describe('XEP-0300 hashes inside a parent (XEP-0234 §5)', () => {
  it('reads hashes and hash-used, treats an empty <hash/> as announced only, and keeps the first of a repeated algo', () => {
    const file = el(`<file xmlns='urn:xmpp:jingle:apps:file-transfer:5'>
      <hash xmlns='${NS_HASHES}' algo='sha-1'>${SHA1}</hash>
      <hash xmlns='${NS_HASHES}' algo='sha-256'>${SHA256}</hash>
      <hash xmlns='${NS_HASHES}' algo='sha-256'>${createHash('sha256').update('x').digest('base64')}</hash>
      <hash xmlns='${NS_HASHES}' algo='sha-512'/>
      <hash xmlns='${NS_HASHES}' algo='sha-384'>broken</hash>
      <hash-used xmlns='${NS_HASHES_1}' algo='sha3-256'/>
      <name>ignored</name>
    </file>`);
    expect(readHashes(file)).toEqual({
      hashes: [{ algo: 'sha-1', base64: SHA1 }, { algo: 'sha-256', base64: SHA256 }],
      hashesUsed: ['sha-512', 'sha3-256'],
    });
  });

  it(`reads at most ${MAX_HASHES} hash children of a hostile parent`, () => {
    const many = Array.from({ length: 500 }, () => `<hash xmlns='${NS_HASHES}' algo='x-${Math.random().toString(36).slice(2)}'>${SHA256}</hash>`);
    const { hashes, hashesUsed } = readHashes(el(`<file>${many.join('')}</file>`));
    expect(hashes.length + hashesUsed.length).toBeLessThanOrEqual(MAX_HASHES);
  });
});

describe('XEP-0300 algorithm choice (XEP-0414 §3, §5)', () => {
  it('flags md5 and sha-1 as weak (XEP-0414 §5: MUST NOT / SHOULD NOT) and sha-256 as not', () => {
    expect(['md5', 'sha-1', 'SHA-1', 'md2', 'md4'].map(isWeakHashAlgorithm)).toEqual([true, true, true, true, true]);
    expect(['sha-256', 'sha3-256', 'blake2b-512'].map(isWeakHashAlgorithm)).toEqual([false, false, false]);
  });

  it('picks sha-256, the only algorithm Ferry computes for Jingle, whatever else is offered', () => {
    expect(VERIFIABLE_HASH_ALGORITHMS).toEqual(['sha-256']);
    const sha256 = { algo: 'sha-256', base64: SHA256 };
    expect(strongestVerifiableHash([{ algo: 'sha-1', base64: SHA1 }, sha256, { algo: 'sha-512', base64: Buffer.alloc(64).toString('base64') }])).toBe(sha256);
    expect(strongestVerifiableHash([{ algo: 'sha-1', base64: SHA1 }, { algo: 'md5', base64: Buffer.alloc(16).toString('base64') }])).toBeNull();
    expect(strongestVerifiableHash([])).toBeNull();
    expect([isVerifiableAlgorithm('sha-256'), isVerifiableAlgorithm('md5'), isVerifiableAlgorithm('sha-1')]).toEqual([true, false, false]);
  });

  it('converts between Ferry\'s hex sha-256 and the wire\'s base64', () => {
    const hex = createHash('sha256').update('').digest('hex');
    expect(hexToBase64(hex)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(base64ToHex(SHA256)).toBe(SHA256_HEX);
    expect(hexToBase64(SHA256_HEX.toUpperCase())).toBe(SHA256);
    expect(() => hexToBase64('abc')).toThrow(RangeError);
    expect(() => base64ToHex('not base64')).toThrow(RangeError);
  });
});

describe('XEP-0300 properties', () => {
  const algo = fc.constantFrom(['sha-1', 20], ['sha-256', 32], ['sha-512', 64], ['sha3-256', 32], ['blake2b-256', 32], ['md5', 16]);
  const hash = algo.chain(([name, size]) => fc.uint8Array({ minLength: size as number, maxLength: size as number })
    .map((bytes) => ({ algo: name as string, base64: Buffer.from(bytes).toString('base64') })));

  it('round-trips any digest of a known algorithm through build and parse', () => {
    fc.assert(fc.property(hash, (value) => {
      expect(parseHash(reparse(buildHash(value)))).toEqual({ ok: true, value });
    }));
  });

  it('round-trips bytes through hex and base64', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
      const hex = Buffer.from(bytes).toString('hex');
      expect(base64ToHex(hexToBase64(hex))).toBe(hex);
    }));
  });

  it('never throws on random or mutated elements, and fails only with bad-request', () => {
    const input = fc.oneof(arbitraryJingleElement, mutatedFixture(FIXTURES));
    fc.assert(fc.property(input, (element) => {
      expectOkOrStanzaError(parseHash(element));
      expectOkOrStanzaError(parseHashUsed(element));
      const { hashes } = readHashes(element);
      for (const value of hashes) expect(parseHash(reparse(buildHash(value)))).toEqual({ ok: true, value });
    }), { numRuns: 1000 });
  });
});
