import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import { MAX_DESCRIPTION_LENGTH, MAX_FILE_NAME_LENGTH, MAX_MEDIA_TYPE_LENGTH } from '../../../../../electron/xmpp/xep/xep0096FileTransfer';
import { buildJingle, parseJingle } from '../../../../../electron/xmpp/xep/xep0166Jingle';
import {
  isFileTransferNamespace,
  FILE_TRANSFER_REASONS, NS_JINGLE_FT, buildChecksum, buildFileDescription, buildReceived, parseChecksum, parseFileDescription, parseReceived,
  type JingleFile,
} from '../../../../../electron/xmpp/xep/xep0234JingleFt';
import { NS_HASHES } from '../../../../../electron/xmpp/xep/xep0300Hashes';
import { arbitraryJingleElement, expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

const SHA1 = 'w0mcJylzCn+AfvuGdqkty2+KP48=';
const SHA256 = '2XarmwTlNxDAMkvymloX3S5+VbylNrJt/l5QyPa+YoU=';
const OFFER_DESCRIPTION = `
      <description xmlns='urn:xmpp:jingle:apps:file-transfer:5'>
        <file>
          <date>1969-07-21T02:56:15Z</date>
          <desc>This is a test. If this were a real file...</desc>
          <media-type>text/plain</media-type>
          <name>test.txt</name>
          <range/>
          <size>6144</size>
          <hash xmlns='urn:xmpp:hashes:2'
                algo='sha-1'>w0mcJylzCn+AfvuGdqkty2+KP48=</hash>
        </file>
      </description>`;
const SESSION_INITIATE = `
<iq from='romeo@montague.example/dr4hcr0st3lup4c' id='nzu25s8' to='juliet@capulet.example/yn0cl4bnw0yr3vym' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='romeo@montague.example/dr4hcr0st3lup4c' sid='851ba2'>
    <content creator='initiator' name='a-file-offer' senders='initiator'>${OFFER_DESCRIPTION}
      <transport xmlns='urn:xmpp:jingle:transports:s5b:1' mode='tcp' sid='vj3hs98y'>
        <candidate cid='hft54dqy' host='192.168.4.1' jid='romeo@montague.example/dr4hcr0st3lup4c' port='5086' priority='8257636' type='direct'/>
      </transport>
    </content>
  </jingle>
</iq>`;
const TEST_FILE: JingleFile = {
  name: 'test.txt', size: 6144, mediaType: 'text/plain', date: '1969-07-21T02:56:15Z', description: 'This is a test. If this were a real file...',
  hashes: [{ algo: 'sha-1', base64: SHA1 }], hashesUsed: [], range: { offset: 0, length: null, hashes: [] },
};
const description = (file: string, ns = NS_JINGLE_FT) => `<description xmlns='${ns}'><file>${file}</file></description>`;
const hash = (algo: string, value: string, ns = NS_HASHES) => `<hash xmlns='${ns}' algo='${algo}'>${value}</hash>`;
const CHECKSUM = `<checksum xmlns='urn:xmpp:jingle:apps:file-transfer:5' creator='initiator' name='a-file-offer'><file>${hash('sha-1', SHA1)}</file></checksum>`;
const RANGE_CHECKSUM = `<checksum xmlns='urn:xmpp:jingle:apps:file-transfer:5' creator='initiator' name='a-file-offer'>
  <file><range offset='2048' length='1024'>${hash('sha-1', 'kHp5RSzW/h7Gm1etSf90Mr5PC/k=')}</range></file></checksum>`;
const RECEIVED = "<received xmlns='urn:xmpp:jingle:apps:file-transfer:5' creator='initiator' name='a-file-offer' />";

describe('XEP-0234 file description (§5, §6)', () => {
  it('parses a session-initiate with a file offer (XEP-0234 §6.1 example 1)', () => {
    const jingle = parseJingle(payload(SESSION_INITIATE));
    expect(jingle.ok && jingle.value.contents[0]).toMatchObject({ creator: 'initiator', name: 'a-file-offer', senders: 'initiator' });
    const content = jingle.ok ? jingle.value.contents[0] : null;
    expect(parseFileDescription(content!.description!)).toEqual({ ok: true, value: { version: 5, file: TEST_FILE } });
  });

  it.each([
    ['the §5 sample with a +01:00 date', `<media-type>text/plain</media-type><name>test.txt</name><date>2015-07-26T21:46:00+01:00</date><size>6144</size>${hash('sha-1', SHA1)}`,
      { mediaType: 'text/plain', date: '2015-07-26T21:46:00+01:00', description: '', range: null }],
    ['the additional file of a content-add (§6.3 example 6)', `<name>second-file.txt</name><media-type>text/plain</media-type><size>6144</size>${hash('sha-1', SHA1)}`,
      { name: 'second-file.txt', date: null, description: '', range: null }],
    ['an offer announcing its algorithm only (§8.2 example 16)', "<name>test.txt</name><size>6144</size><hash-used xmlns='urn:xmpp:hashes:2' algo='sha-1'/>",
      { mediaType: 'application/octet-stream', date: null, description: '', hashes: [], hashesUsed: ['sha-1'], range: null }],
    ['a zero-byte file with no media type (assumed application/octet-stream)', '<name>empty</name><size>0</size>',
      { name: 'empty', size: 0, mediaType: 'application/octet-stream', date: null, description: '', hashes: [], range: null }],
    ['a range with offset and length', `<name>test.txt</name><size>6144</size><range offset='1024' length='2048'>${hash('sha-256', SHA256)}</range>`,
      { mediaType: 'application/octet-stream', date: null, description: '', hashes: [], range: { offset: 1024, length: 2048, hashes: [{ algo: 'sha-256', base64: SHA256 }] } }],
    ['desc in several languages (the one without xml:lang wins)', "<name>a</name><size>1</size><desc xml:lang='de'>Test</desc><desc>test</desc>",
      { name: 'a', size: 1, mediaType: 'application/octet-stream', date: null, description: 'test', hashes: [], range: null }],
  ])('parses %s', (_label, file, expected) => {
    expect(parseFileDescription(el(description(file)))).toEqual({ ok: true, value: { version: 5, file: { ...TEST_FILE, ...expected } } });
  });

  it('reads :4 (0.17 §5), dropping a date without time zone and a "sha-1" hash of 16 bytes', () => {
    const file = `<media-type>text/plain</media-type><name>test.txt</name><date>2015-07-26T21:46:00</date><size>6144</size>
      ${hash('sha-1', '552da749930852c69ae5d2141d3766b1', 'urn:xmpp:hashes:1')}${hash('sha-256', SHA256, 'urn:xmpp:hashes:1')}`;
    expect(parseFileDescription(el(description(file, 'urn:xmpp:jingle:apps:file-transfer:4')))).toEqual({ ok: true, value: { version: 4, file: {
      ...TEST_FILE, date: null, description: '', hashes: [{ algo: 'sha-256', base64: SHA256 }], range: null,
    } } });
  });

  it('reads :3, where the file sits in <offer/> (0.15 §3 example 1)', () => {
    const jingle = parseJingle(payload(`<iq type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='romeo@montague.lit/orchard' sid='851ba2'>
      <content creator='initiator' name='a-file-offer'><description xmlns='urn:xmpp:jingle:apps:file-transfer:3'><offer><file>
        <date>1969-07-21T02:56:15Z</date><desc>This is a test. If this were a real file...</desc><name>test.txt</name><range/><size>1022</size>
        <hash xmlns='urn:xmpp:hashes:1' algo='sha-11'>552da749930852c69ae5d2141d3766b1</hash>
      </file></offer></description><transport xmlns='urn:xmpp:jingle:transports:s5b:1' sid='vj3hs98y'/></content></jingle></iq>`));
    const result = jingle.ok ? parseFileDescription(jingle.value.contents[0].description!) : jingle;
    expect(result).toEqual({ ok: true, value: { version: 3, file: {
      ...TEST_FILE, size: 1022, mediaType: 'application/octet-stream', // An unknown algorithm's hex cannot be told from base64: it stays as read, never used for verification.
      hashes: [{ algo: 'sha-11', base64: '552da749930852c69ae5d2141d3766b1' }],
    } } });
  });

  it.each([
    ['a file request with only a hash (§6.2 example 5; Ferry serves no requests)', hash('sha-1', SHA1), 'bad-request'],
    ['a restart with only a range and a hash (§6.4 example 8)', `<range offset='270336'/>${hash('sha-1', SHA1)}`, 'bad-request'],
    ['no name', '<size>1</size>', 'bad-request'],
    ['a blank name', '<name>  </name><size>1</size>', 'bad-request'],
    ['a negative size', '<name>a</name><size>-1</size>', 'bad-request'],
    ['a size in exponent form', '<name>a</name><size>1e3</size>', 'bad-request'],
    ['a size past 2^53', '<name>a</name><size>9007199254740993</size>', 'bad-request'],
    ['a range past the end of the file', "<name>a</name><size>100</size><range offset='50' length='51'/>", 'bad-request'],
    ['a range with a bad offset', "<name>a</name><size>100</size><range offset='-5'/>", 'bad-request'],
    [`a name longer than ${MAX_FILE_NAME_LENGTH} characters`, `<name>${'n'.repeat(MAX_FILE_NAME_LENGTH + 1)}</name><size>1</size>`, 'not-acceptable'],
  ])('refuses %s', (_label, file, condition) => {
    expect(parseFileDescription(el(description(file)))).toMatchObject({ ok: false, error: { condition } });
  });

  it('refuses a description of another namespace and one without a file', () => {
    expect(parseFileDescription(el("<description xmlns='urn:xmpp:jingle:apps:rtp:1'/>")).ok).toBe(false);
    expect(parseFileDescription(el(`<description xmlns='${NS_JINGLE_FT}'/>`)).ok).toBe(false);
    expect(parseFileDescription(el("<description xmlns='urn:xmpp:jingle:apps:file-transfer:3'><request><file><name>a</name><size>1</size></file></request></description>")).ok).toBe(false);
  });

  it('bounds peer-supplied text like the SI parser: description cut, implausible media type defaulted', () => {
    const result = parseFileDescription(el(description(`<name>a</name><size>1</size><desc>${'d'.repeat(MAX_DESCRIPTION_LENGTH * 20)}</desc>
      <media-type>text/${'x'.repeat(MAX_MEDIA_TYPE_LENGTH)}</media-type>`)));
    expect(result.ok && [result.value.file.description.length, result.value.file.mediaType]).toEqual([MAX_DESCRIPTION_LENGTH, 'application/octet-stream']);
  });

  it('builds the §6.1 example 1 description, child for child', () => {
    expect(shape(reparse(buildFileDescription(TEST_FILE)))).toEqual(shape(el(OFFER_DESCRIPTION)));
    expect(() => buildFileDescription({ name: '', size: 1 })).toThrow(RangeError);
    expect(() => buildFileDescription({ name: 'a', size: -1 })).toThrow(RangeError);
    expect(() => buildFileDescription({ name: 'a', size: 1, range: { offset: 1.5, length: null, hashes: [] } })).toThrow(RangeError);
  });
});

describe('XEP-0234 informational messages (§8) and reasons (§9)', () => {
  it.each([
    ['a checksum (§8.2 example 14)', CHECKSUM, { version: 5, creator: 'initiator', name: 'a-file-offer', file: { hashes: [{ algo: 'sha-1', base64: SHA1 }], hashesUsed: [], range: null } }],
    ['a checksum for a range (§8.2 example 15)', RANGE_CHECKSUM, { version: 5, creator: 'initiator', name: 'a-file-offer', file: {
      hashes: [], hashesUsed: [], range: { offset: 2048, length: 1024, hashes: [{ algo: 'sha-1', base64: 'kHp5RSzW/h7Gm1etSf90Mr5PC/k=' }] } } }],
    ['a :3 checksum without creator or name (0.15 §4)', `<checksum xmlns='urn:xmpp:jingle:apps:file-transfer:3'><file>${hash('sha-256', SHA256, 'urn:xmpp:hashes:1')}</file></checksum>`,
      { version: 3, creator: null, name: null, file: { hashes: [{ algo: 'sha-256', base64: SHA256 }], hashesUsed: [], range: null } }],
  ])('parses %s and round-trips it as :5', (_label, text, expected) => {
    expect(parseChecksum(el(text))).toEqual({ ok: true, value: expected });
    const rebuilt = parseChecksum(reparse(buildChecksum({ creator: 'responder', name: 'c', file: expected.file })));
    expect(rebuilt).toEqual({ ok: true, value: { ...expected, version: 5, creator: 'responder', name: 'c' } });
  });

  it('reads a checksum out of a session-info and refuses one without a usable hash (§8.2 MUST)', () => {
    const jingle = parseJingle(payload(`<iq type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='a73sjjvkla37jfea'>${CHECKSUM}</jingle></iq>`));
    expect(jingle.ok && parseChecksum(jingle.value.info[0]).ok).toBe(true);
    expect(parseChecksum(el(`<checksum xmlns='${NS_JINGLE_FT}' creator='initiator' name='a'><file>${hash('sha-1', 'oops')}</file></checksum>`)).ok).toBe(false);
    expect(parseChecksum(el(`<checksum xmlns='${NS_JINGLE_FT}' creator='initiator' name='a'/>`)).ok).toBe(false);
    expect(parseChecksum(el(`<checksum xmlns='${NS_JINGLE_FT}' creator='both' name='a'><file>${hash('sha-1', SHA1)}</file></checksum>`)).ok).toBe(false);
    expect(() => buildChecksum({ creator: 'initiator', name: 'a', file: {} })).toThrow(RangeError);
  });

  it('parses received (§8.1 example 13) and round-trips it', () => {
    const expected = { ok: true, value: { version: 5, creator: 'initiator', name: 'a-file-offer' } };
    expect(parseReceived(el(RECEIVED))).toEqual(expected);
    expect(parseReceived(reparse(buildReceived({ creator: 'initiator', name: 'a-file-offer' })))).toEqual(expected);
    expect(parseReceived(el("<received xmlns='urn:xmpp:jingle:apps:file-transfer:3'><file/></received>"))).toEqual({ ok: true, value: { version: 3, creator: null, name: null } });
    expect(parseReceived(el(`<received xmlns='${NS_JINGLE_FT}' creator='initiator' name=''/>`)).ok).toBe(false);
  });

  it('builds the file-too-large content-remove of §9.2 example 18', () => {
    const built = buildJingle({
      action: 'content-remove', sid: 'uj3b2', contents: [{ creator: 'initiator', name: 'big-file', senders: 'initiator' }],
      reason: { condition: 'media-error', appCondition: FILE_TRANSFER_REASONS.fileTooLarge },
    });
    expect(shape(reparse(built))).toEqual(shape(el(`<jingle xmlns='urn:xmpp:jingle:1' action='content-remove' sid='uj3b2'>
      <content creator='initiator' name='big-file' senders='initiator'/>
      <reason><media-error /><file-too-large xmlns='urn:xmpp:jingle:apps:file-transfer:errors:0' /></reason></jingle>`)));
  });
});

describe('XEP-0234 properties', () => {
  const text = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9][A-Za-z0-9 ._-]{0,${max}}$`)).filter((value) => value.trim() === value);
  const hashes = fc.uniqueArray(fc.constantFrom({ algo: 'sha-256', base64: SHA256 }, { algo: 'sha-1', base64: SHA1 }), { selector: (h) => h.algo });
  const range = fc.option(fc.record({ offset: fc.nat(100), length: fc.option(fc.nat(100), { nil: null }), hashes }), { nil: null });
  const file: fc.Arbitrary<JingleFile> = fc.record({
    name: text(40), size: fc.integer({ min: 200, max: Number.MAX_SAFE_INTEGER }), mediaType: fc.constantFrom('text/plain', 'image/png', 'application/octet-stream'),
    date: fc.option(fc.constantFrom('1969-07-21T02:56:15Z', '2015-07-26T21:46:00+01:00', '2024-01-01T00:00:00.123Z'), { nil: null }),
    description: fc.oneof(fc.constant(''), text(60)), hashes, hashesUsed: fc.uniqueArray(fc.constantFrom('sha-256', 'sha3-256', 'blake2b-512')), range,
  });

  it('round-trips any file through buildFileDescription and parseFileDescription', () => {
    fc.assert(fc.property(file, (value) => {
      expect(parseFileDescription(reparse(buildFileDescription(value)))).toEqual({ ok: true, value: { version: 5, file: value } });
    }));
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    const fixtures = [OFFER_DESCRIPTION, CHECKSUM, RANGE_CHECKSUM, RECEIVED,
      `<description xmlns='urn:xmpp:jingle:apps:file-transfer:3'><offer><file><name>a</name><size>5</size><range offset='1'/></file></offer></description>`];
    fc.assert(fc.property(fc.oneof(arbitraryJingleElement, mutatedFixture(fixtures)), (element: Element) => {
      expectOkOrStanzaError(parseFileDescription(element), ['bad-request', 'not-acceptable']);
      expectOkOrStanzaError(parseChecksum(element));
      expectOkOrStanzaError(parseReceived(element));
    }), { numRuns: 2000 });
  });
});

describe('isFileTransferNamespace (the namespaces read on receive)', () => {
  it.each([
    ['urn:xmpp:jingle:apps:file-transfer:5', true], ['urn:xmpp:jingle:apps:file-transfer:4', true],
    ['urn:xmpp:jingle:apps:file-transfer:3', true], ['urn:xmpp:jingle:apps:file-transfer:6', false],
    ['urn:xmpp:jingle:apps:rtp:1', false], ['toString', false],
  ])('%s → %s (XEP-0234 :5, and :4/:3 from older clients)', (ns, expected) => {
    expect(isFileTransferNamespace(ns)).toBe(expected);
  });
});
