import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  APP_CONDITIONS, DEFAULT_ERROR_TYPES, NS_STANZAS, buildStanzaError, hasAppCondition, parseStanzaError, stanzaError,
  type StanzaErrorCondition,
} from '../../../../../electron/xmpp/xep/stanzaErrors';
import { NS_SI } from '../../../../../electron/xmpp/xep/xep0095Si';
import { arbitraryElement, el, reparse } from '../../../../support/xepFixtures';

describe('stanza errors (RFC 6120 §8.3)', () => {
  it('reads the XEP-0095 §3.2 "No Valid Streams" example', () => {
    const error = parseStanzaError(el(`
      <iq type='error' to='sender@jabber.org/resource' id='offer1'>
        <error code='400' type='cancel'>
          <bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
          <no-valid-streams xmlns='http://jabber.org/protocol/si'/>
        </error>
      </iq>`));
    expect(error).toEqual({ type: 'cancel', condition: 'bad-request', text: null, appCondition: APP_CONDITIONS.siNoValidStreams });
    expect(hasAppCondition(error!, APP_CONDITIONS.siNoValidStreams)).toBe(true);
    expect(hasAppCondition(error!, APP_CONDITIONS.siBadProfile)).toBe(false);
  });

  it('reads the XEP-0095 §3.2 "Rejecting Stream Initiation" example with its text', () => {
    const error = parseStanzaError(el(`
      <error code='403' type='cancel'>
        <forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
        <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Offer Declined</text>
      </error>`));
    expect(error).toEqual({ type: 'cancel', condition: 'forbidden', text: 'Offer Declined', appCondition: null });
  });

  it('reads the XEP-0047 §2.1 resource-constraint example', () => {
    const error = parseStanzaError(el(`
      <iq from='juliet@capulet.com/balcony' id='jn3h8g65' to='romeo@montague.net/orchard' type='error'>
        <error type='modify'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
      </iq>`));
    expect(error).toMatchObject({ type: 'modify', condition: 'resource-constraint' });
  });

  it('treats an unknown condition as undefined-condition and a bad type as the default', () => {
    expect(parseStanzaError(el(`<error type='whenever'><teapot xmlns='${NS_STANZAS}'/></error>`)))
      .toEqual({ type: 'cancel', condition: 'undefined-condition', text: null, appCondition: null });
    expect(parseStanzaError(el('<iq type="result"/>'))).toBeNull();
  });

  it('builds the RFC 6120 shape: condition and text in the stanzas namespace, app condition after them', () => {
    const built = buildStanzaError(stanzaError('bad-request', { type: 'cancel', text: 'x', appCondition: APP_CONDITIONS.siBadProfile }));
    expect(built.toString()).toBe(
      `<error type="cancel"><bad-request xmlns="${NS_STANZAS}"/><text xmlns="${NS_STANZAS}">x</text>`
      + `<bad-profile xmlns="${NS_SI}"/></error>`,
    );
  });

  it.each(Object.keys(DEFAULT_ERROR_TYPES) as StanzaErrorCondition[])('round-trips %s with its default type', (condition) => {
    const error = stanzaError(condition);
    expect(error.type).toBe(DEFAULT_ERROR_TYPES[condition]);
    expect(parseStanzaError(reparse(buildStanzaError(error)))).toEqual(error);
  });

  it('keeps its SI error namespace equal to NS_SI', () => {
    expect(APP_CONDITIONS.siNoValidStreams.ns).toBe(NS_SI);
  });

  it('never throws on random elements', () => {
    fc.assert(fc.property(arbitraryElement, (element) => {
      const error = parseStanzaError(element);
      if (error) expect(Object.keys(DEFAULT_ERROR_TYPES)).toContain(error.condition);
    }));
  });
});
