import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import xml from '@xmpp/xml';
import { APP_CONDITIONS, buildStanzaError, parseStanzaError } from '../../../../../electron/xmpp/xep/stanzaErrors';
import {
  NS_SI, badProfileError, buildSiAccept, buildSiOffer, chooseStreamMethod, classifySiError, declineError,
  noValidStreamsError, parseSiAccept, parseSiOffer,
} from '../../../../../electron/xmpp/xep/xep0095Si';
import { arbitraryElement, el, payload, reparse } from '../../../../support/xepFixtures';

const BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
const IBB = 'http://jabber.org/protocol/ibb';
const FT = 'http://jabber.org/protocol/si/profile/file-transfer';

describe('XEP-0095 offer (§3.2, §4.1)', () => {
  const offer = payload(`
    <iq type='set' id='offer1' to='receiver@jabber.org/resource'>
      <si xmlns='http://jabber.org/protocol/si' id='a0' mime-type='text/plain' profile='${FT}'>
        <file xmlns='${FT}' name='test.txt' size='1022'><desc>This is info about the file.</desc></file>
        <feature xmlns='http://jabber.org/protocol/feature-neg'>
          <x xmlns='jabber:x:data' type='form'>
            <field var='stream-method' type='list-single'>
              <option><value>http://jabber.org/protocol/bytestreams</value></option>
              <option><value>jabber:iq:oob</value></option>
              <option><value>http://jabber.org/protocol/ibb</value></option>
            </field>
          </x>
        </feature>
      </si>
    </iq>`);

  it('parses the §3.2 example with its three methods in order', () => {
    const result = parseSiOffer(offer, FT);
    expect(result).toMatchObject({ ok: true, value: { id: 'a0', mimeType: 'text/plain', profile: FT, methods: [BYTESTREAMS, 'jabber:iq:oob', IBB] } });
    expect(result.ok && result.value.profileElement.attrs.name).toBe('test.txt');
  });

  it('refuses an unknown profile with bad-request + <bad-profile/> of type modify (§4.2 table)', () => {
    expect(parseSiOffer(offer, 'urn:other')).toEqual({ ok: false, error: badProfileError() });
    expect(badProfileError()).toMatchObject({ condition: 'bad-request', type: 'modify', appCondition: APP_CONDITIONS.siBadProfile });
  });

  it('round-trips an offer', () => {
    const profileElement = xml('file', { xmlns: FT, name: 'a', size: '1' });
    const built = buildSiOffer({ id: 'x', mimeType: 'image/png', profile: FT, profileElement, methods: [BYTESTREAMS, IBB] });
    expect(parseSiOffer(reparse(built), FT)).toMatchObject({ ok: true, value: { id: 'x', mimeType: 'image/png', methods: [BYTESTREAMS, IBB] } });
    expect(() => buildSiOffer({ id: 'x', mimeType: 'a/b', profile: 'urn:other', profileElement, methods: [IBB] })).toThrow(RangeError);
  });
});

describe('XEP-0095 stream choice and accept (§3.2, §4.1)', () => {
  it('chooses the first of our methods the offer lists', () => {
    expect(chooseStreamMethod([IBB, BYTESTREAMS], [BYTESTREAMS, IBB])).toEqual({ ok: true, value: BYTESTREAMS });
    expect(chooseStreamMethod(['jabber:iq:oob', IBB], [BYTESTREAMS, IBB])).toEqual({ ok: true, value: IBB });
  });

  it('answers no common method with bad-request + <no-valid-streams/>, type cancel', () => {
    const result = chooseStreamMethod(['jabber:iq:oob'], [BYTESTREAMS, IBB]);
    expect(result).toEqual({ ok: false, error: noValidStreamsError() });
    expect(buildStanzaError(noValidStreamsError()).toString()).toBe(
      '<error type="cancel"><bad-request xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><no-valid-streams xmlns="http://jabber.org/protocol/si"/></error>',
    );
  });

  it('parses the §3.2 accept example', () => {
    const si = payload(`
      <iq type='result' to='sender@jabber.org/resource' id='offer1'>
        <si xmlns='http://jabber.org/protocol/si'>
          <feature xmlns='http://jabber.org/protocol/feature-neg'>
            <x xmlns='jabber:x:data' type='submit'>
              <field var='stream-method'><value>http://jabber.org/protocol/bytestreams</value></field>
            </x>
          </feature>
        </si>
      </iq>`);
    expect(parseSiAccept(si, FT)).toEqual({ ok: true, value: { method: BYTESTREAMS, methods: [BYTESTREAMS], profileElement: null } });
  });

  it('reads Spark\'s accept that submits both methods (seed 001)', () => {
    const si = payload(`
      <iq id="vrC08-126" to="user1@host/spark" from="user2@host/spark" type="result">
        <si xmlns="http://jabber.org/protocol/si">
          <feature xmlns="http://jabber.org/protocol/feature-neg">
            <x xmlns="jabber:x:data" type="submit">
              <field var="stream-method">
                <value>http://jabber.org/protocol/bytestreams</value>
                <value>http://jabber.org/protocol/ibb</value>
              </field>
            </x>
          </feature>
        </si>
      </iq>`);
    expect(parseSiAccept(si, FT)).toMatchObject({ ok: true, value: { method: BYTESTREAMS, methods: [BYTESTREAMS, IBB] } });
  });

  it('builds an accept with no attributes on <si/> and exactly one value', () => {
    const built = buildSiAccept({ method: IBB });
    expect(built.attrs).toEqual({ xmlns: NS_SI });
    expect(parseSiAccept(reparse(built), FT)).toEqual({ ok: true, value: { method: IBB, methods: [IBB], profileElement: null } });
  });

  it.each([
    ['a form instead of a submit', "<x xmlns='jabber:x:data' type='form'><field var='stream-method'><value>a</value></field></x>"],
    ['no value', "<x xmlns='jabber:x:data' type='submit'><field var='stream-method'/></x>"],
    ['another field', "<x xmlns='jabber:x:data' type='submit'><field var='other'><value>a</value></field></x>"],
    ['no form', ''],
  ])('refuses an accept with %s', (_label, form) => {
    const si = el(`<si xmlns='${NS_SI}'><feature xmlns='http://jabber.org/protocol/feature-neg'>${form}</feature></si>`);
    expect(parseSiAccept(si, FT).ok).toBe(false);
  });
});

describe('XEP-0095 refusals (§3.2, §4.2)', () => {
  it('declines with forbidden, type cancel, and the example text', () => {
    const parsed = parseStanzaError(reparse(buildStanzaError(declineError())));
    expect(parsed).toEqual({ type: 'cancel', condition: 'forbidden', text: 'Offer Declined', appCondition: null });
    expect(classifySiError(parsed!)).toBe('declined');
  });

  it('classifies the errors a Sender gets back', () => {
    expect(classifySiError(noValidStreamsError())).toBe('no-valid-streams');
    expect(classifySiError(badProfileError())).toBe('bad-profile');
    expect(classifySiError({ type: 'cancel', condition: 'service-unavailable', text: null, appCondition: null })).toBe('other');
  });

  it('parsers never throw on random elements', () => {
    fc.assert(fc.property(arbitraryElement, (element) => {
      expect(typeof parseSiOffer(element, FT).ok).toBe('boolean');
      expect(typeof parseSiAccept(element, FT).ok).toBe('boolean');
    }), { numRuns: 1000 });
  });
});
