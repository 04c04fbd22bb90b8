import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildFeatureOffer, buildFeatureSubmit, parseFeatureOffer, parseFeatureSubmit,
} from '../../../../../electron/xmpp/xep/xep0020FeatureNeg';
import { arbitraryElement, payload, reparse } from '../../../../support/xepFixtures';

describe('XEP-0020 feature negotiation (§2.1)', () => {
  const offer = payload(`
    <iq type='set' from='romeo@montague.net/orchard' to='juliet@capulet.com/balcony' id='neg1'>
      <feature xmlns='http://jabber.org/protocol/feature-neg'>
        <x xmlns='jabber:x:data' type='form'>
          <field var='FORM_TYPE' type='hidden'><value>romantic_meetings</value></field>
          <field type='list-single' var='places-to-meet'>
            <option><value>Secret Grotto</value></option>
            <option><value>Verona Park</value></option>
          </field>
          <field type='list-single' var='times-to-meet'>
            <option><value>22:00</value></option><option><value>22:30</value></option><option><value>23:00</value></option>
          </field>
        </x>
      </feature>
    </iq>`);

  it('reads the options of each field of the spec example', () => {
    expect(parseFeatureOffer(offer, 'places-to-meet')).toEqual({ ok: true, value: ['Secret Grotto', 'Verona Park'] });
    expect(parseFeatureOffer(offer, 'times-to-meet')).toEqual({ ok: true, value: ['22:00', '22:30', '23:00'] });
    expect(parseFeatureOffer(offer, 'stream-method')).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('reads the submitted value of the spec example', () => {
    const submit = payload(`
      <iq type='result' id='neg1'>
        <feature xmlns='http://jabber.org/protocol/feature-neg'>
          <x xmlns='jabber:x:data' type='submit'>
            <field var='FORM_TYPE'><value>romantic_meetings</value></field>
            <field var='places-to-meet'><value>Secret Grotto</value></field>
            <field var='times-to-meet'><value>22:30</value></field>
          </x>
        </feature>
      </iq>`);
    expect(parseFeatureSubmit(submit, 'times-to-meet')).toEqual({ ok: true, value: ['22:30'] });
    expect(parseFeatureSubmit(offer, 'times-to-meet').ok).toBe(false);
  });

  it('round-trips offers and submits, dropping duplicate values', () => {
    expect(parseFeatureOffer(reparse(buildFeatureOffer({ field: 'f', options: ['a', 'b', 'a'] })), 'f')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(parseFeatureSubmit(reparse(buildFeatureSubmit({ field: 'f', values: ['b'] })), 'f')).toEqual({ ok: true, value: ['b'] });
    expect(() => buildFeatureOffer({ field: 'f', options: [] })).toThrow(RangeError);
  });

  it('never throws on random elements', () => {
    fc.assert(fc.property(arbitraryElement, (element) => {
      expect(typeof parseFeatureOffer(element, 'stream-method').ok).toBe('boolean');
      expect(typeof parseFeatureSubmit(element, 'stream-method').ok).toBe('boolean');
    }), { numRuns: 1000 });
  });
});
