import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FileMeta } from '../../../../../shared/model/transfer';
import { NS_IBB } from '../../../../../electron/xmpp/xep/xep0047Ibb';
import { NS_BYTESTREAMS } from '../../../../../electron/xmpp/xep/xep0065Bytestreams';
import {
  FILE_TRANSFER_STREAM_METHODS, MAX_DESCRIPTION_LENGTH, MAX_FILE_NAME_LENGTH, MAX_MEDIA_TYPE_LENGTH, NS_FILE_TRANSFER, buildFileTransferAccept, buildFileTransferOffer,
  parseFileTransferAccept, parseFileTransferOffer,
} from '../../../../../electron/xmpp/xep/xep0096FileTransfer';
import { arbitraryElement, payload, reparse } from '../../../../support/xepFixtures';

const COMPLETE_OFFER = `
<iq type='set' id='offer1' to='receiver@jabber.org/resource'>
  <si xmlns='http://jabber.org/protocol/si'
      id='a0'
      mime-type='text/plain'
      profile='http://jabber.org/protocol/si/profile/file-transfer'>
    <file xmlns='http://jabber.org/protocol/si/profile/file-transfer'
          name='test.txt'
          size='1022'
          hash='552da749930852c69ae5d2141d3766b1'
          date='1969-07-21T02:56:15Z'>
      <desc>This is a test. If this were a real file...</desc>
    </file>
    <feature xmlns='http://jabber.org/protocol/feature-neg'>
      <x xmlns='jabber:x:data' type='form'>
        <field var='stream-method' type='list-single'>
          <option><value>http://jabber.org/protocol/bytestreams</value></option>
          <option><value>http://jabber.org/protocol/ibb</value></option>
        </field>
      </x>
    </feature>
  </si>
</iq>`;

const SPARK_OFFER = `
<iq id="vrC08-126" to="user2@host/spark" from="user1@host/spark" type="set">
  <si xmlns="http://jabber.org/protocol/si" id="jsi_5471441136722873260" profile="http://jabber.org/protocol/si/profile/file-transfer">
    <file xmlns="http://jabber.org/protocol/si/profile/file-transfer" name="RunSpark.lnk" size="597">
      <desc>Sending</desc>
    </file>
    <feature xmlns="http://jabber.org/protocol/feature-neg">
      <x xmlns="jabber:x:data" type="form">
        <field var="stream-method" type="list-multi">
          <option><value>http://jabber.org/protocol/bytestreams</value></option>
          <option><value>http://jabber.org/protocol/ibb</value></option>
        </field>
      </x>
    </feature>
  </si>
</iq>`;

const testFile: FileMeta = {
  name: 'test.txt', size: 1022, mediaType: 'text/plain', date: '1969-07-21T02:56:15Z',
  description: 'This is a test. If this were a real file...', md5: '552da749930852c69ae5d2141d3766b1',
};

describe('XEP-0096 offer (§3, §4)', () => {
  it('parses the complete-profile example', () => {
    expect(parseFileTransferOffer(payload(COMPLETE_OFFER))).toEqual({
      ok: true, value: { sid: 'a0', file: testFile, methods: [NS_BYTESTREAMS, NS_IBB], isRangeSupported: false },
    });
  });

  it('parses Spark\'s offer: list-multi, no mime-type (assumed application/octet-stream), no hash or date', () => {
    expect(parseFileTransferOffer(payload(SPARK_OFFER))).toEqual({
      ok: true,
      value: {
        sid: 'jsi_5471441136722873260',
        file: { name: 'RunSpark.lnk', size: 597, mediaType: 'application/octet-stream', date: null, md5: null, description: 'Sending' },
        methods: [NS_BYTESTREAMS, NS_IBB],
        isRangeSupported: false,
      },
    });
  });

  it('round-trips an offer with range support, and lists bytestreams before ibb (§3.1)', () => {
    const offer = { sid: 'ferry_1', file: testFile, methods: FILE_TRANSFER_STREAM_METHODS, isRangeSupported: true };
    const built = buildFileTransferOffer(offer);
    expect(parseFileTransferOffer(reparse(built))).toEqual({ ok: true, value: { ...offer, methods: [NS_BYTESTREAMS, NS_IBB] } });
    expect(built.getChild('file', NS_FILE_TRANSFER)?.getChild('range')?.attrs).toEqual({});
  });

  it('drops malformed optional attributes instead of refusing the file', () => {
    const stanza = COMPLETE_OFFER.replace("hash='552da749930852c69ae5d2141d3766b1'", "hash='nope'").replace("date='1969-07-21T02:56:15Z'", "date='yesterday'");
    const result = parseFileTransferOffer(payload(stanza));
    expect(result.ok && [result.value.file.md5, result.value.file.date]).toEqual([null, null]);
  });

  it('bounds peer-supplied text at parse: an overlong name is refused, description cut, media type defaulted', () => {
    const long = COMPLETE_OFFER.replace("name='test.txt'", `name='${'n'.repeat(MAX_FILE_NAME_LENGTH + 1)}'`);
    expect(parseFileTransferOffer(payload(long))).toMatchObject({ ok: false, error: { condition: 'not-acceptable' } });
    const bulky = COMPLETE_OFFER
      .replace('This is a test. If this were a real file...', 'd'.repeat(MAX_DESCRIPTION_LENGTH * 50))
      .replace("mime-type='text/plain'", `mime-type='text/${'x'.repeat(MAX_MEDIA_TYPE_LENGTH)}'`);
    const result = parseFileTransferOffer(payload(bulky));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.file.description.length).toBe(MAX_DESCRIPTION_LENGTH);
    expect(result.value.file.mediaType).toBe('application/octet-stream');
    const atLimit = COMPLETE_OFFER.replace("name='test.txt'", `name='${'n'.repeat(MAX_FILE_NAME_LENGTH)}'`);
    expect(parseFileTransferOffer(payload(atLimit)).ok).toBe(true);
  });

  it.each([
    ['an unknown profile', (s: string) => s.replace("profile='http://jabber.org/protocol/si/profile/file-transfer'", "profile='urn:x:other'"), 'bad-profile'],
    ['no size (MUST be present)', (s: string) => s.replace("size='1022'", ''), 'bad-profile'],
    ['a negative size', (s: string) => s.replace("size='1022'", "size='-1'"), 'bad-profile'],
    ['no name (MUST be present)', (s: string) => s.replace("name='test.txt'", ''), 'bad-profile'],
    ['no id', (s: string) => s.replace("id='a0'", ''), null],
    ['no feature negotiation', (s: string) => s.replace(/<feature[\s\S]*<\/feature>/, ''), null],
    ['no options', (s: string) => s.replace(/<option>[\s\S]*<\/option>/, ''), null],
  ])('refuses an offer with %s as bad-request', (_label, mutate, appCondition) => {
    const result = parseFileTransferOffer(payload(mutate(COMPLETE_OFFER)));
    expect(result).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
    if (!result.ok) expect(result.error.appCondition?.name ?? null).toBe(appCondition);
  });
});

describe('XEP-0096 accept and range (§3, §4)', () => {
  it('parses the complete-profile result example (an empty <file/>, no range)', () => {
    const si = payload(`
      <iq type='result' to='sender@jabber.org/resource' id='offer1'>
        <si xmlns='http://jabber.org/protocol/si'>
          <file xmlns='http://jabber.org/protocol/si/profile/file-transfer'/>
          <feature xmlns='http://jabber.org/protocol/feature-neg'>
            <x xmlns='jabber:x:data' type='submit'>
              <field var='stream-method'><value>http://jabber.org/protocol/bytestreams</value></field>
            </x>
          </feature>
        </si>
      </iq>`);
    expect(parseFileTransferAccept(si)).toEqual({ ok: true, value: { method: NS_BYTESTREAMS, methods: [NS_BYTESTREAMS], range: null } });
  });

  it.each([
    ["<range length='256'/>", { offset: 0, length: 256 }],
    ["<range offset='128' length='256'/>", { offset: 128, length: 256 }],
    ["<range offset='128'/>", { offset: 128, length: null }],
    ['<range/>', null],
  ])('reads the §4 range example %s', (range, expected) => {
    const si = payload(`<iq><si xmlns='http://jabber.org/protocol/si'><file xmlns='${NS_FILE_TRANSFER}'>${range}</file>
      <feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='submit'>
      <field var='stream-method'><value>${NS_IBB}</value></field></x></feature></si></iq>`);
    expect(parseFileTransferAccept(si, { fileSize: 1022 })).toEqual({ ok: true, value: { method: NS_IBB, methods: [NS_IBB], range: expected } });
    if (expected) expect(parseFileTransferAccept(reparse(buildFileTransferAccept({ method: NS_IBB, range: expected })))).toMatchObject({ ok: true, value: { range: expected } });
  });

  it('refuses a range outside the file or with bad numbers', () => {
    const accept = (range: string) => payload(`<iq><si xmlns='http://jabber.org/protocol/si'><file xmlns='${NS_FILE_TRANSFER}'>${range}</file>
      <feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='submit'>
      <field var='stream-method'><value>${NS_IBB}</value></field></x></feature></si></iq>`);
    expect(parseFileTransferAccept(accept("<range offset='1000' length='100'/>"), { fileSize: 1022 }).ok).toBe(false);
    expect(parseFileTransferAccept(accept("<range offset='2000'/>"), { fileSize: 1022 }).ok).toBe(false);
    expect(parseFileTransferAccept(accept("<range offset='x'/>")).ok).toBe(false);
    expect(parseFileTransferAccept(accept("<range length='-5'/>")).ok).toBe(false);
  });

  it('builds an accept without <file/> when no range is asked, and round-trips', () => {
    const built = buildFileTransferAccept({ method: NS_BYTESTREAMS });
    expect(built.getChild('file', NS_FILE_TRANSFER)).toBeUndefined();
    expect(parseFileTransferAccept(reparse(built))).toEqual({ ok: true, value: { method: NS_BYTESTREAMS, methods: [NS_BYTESTREAMS], range: null } });
  });

  it('parsers never throw on random elements', () => {
    fc.assert(fc.property(arbitraryElement, (element) => {
      expect(typeof parseFileTransferOffer(element).ok).toBe('boolean');
      expect(typeof parseFileTransferAccept(element, { fileSize: 10 }).ok).toBe('boolean');
    }), { numRuns: 1000 });
  });
});
