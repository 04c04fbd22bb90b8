import xml, { type Element } from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { NS_CARBONS, buildEnableCarbons, isCarbon, readCarbon } from '../../../../../electron/xmpp/xep/xep0280Carbons';
import { NS_FORWARD } from '../../../../../electron/xmpp/xep/xep0297Forward';

const OWN = 'romeo@montague.example';
const inner = (from: string, to: string) => xml('message', { xmlns: 'jabber:client', from, to, type: 'chat' }, xml('body', {}, 'Wherefore art thou?'));
const carbon = (kind: 'received' | 'sent', from: string | undefined, message: Element) =>
  xml('message', { from, to: `${OWN}/home` }, xml(kind, { xmlns: NS_CARBONS }, xml('forwarded', { xmlns: NS_FORWARD }, message)));

describe('XEP-0280 carbons', () => {
  it('builds the enable request of §4', () => {
    const iq = buildEnableCarbons();
    expect(iq.attrs.type).toBe('set');
    expect(iq.getChild('enable', NS_CARBONS)).toBeTruthy();
  });
  it('reads a received carbon (§6 Example 10)', () => {
    const result = readCarbon(carbon('received', OWN, inner('juliet@capulet.example/balcony', `${OWN}/garden`)), OWN);
    expect(result.ok && result.value.direction).toBe('received');
    expect(result.ok && result.value.message.getChildText('body')).toBe('Wherefore art thou?');
  });
  it('reads a sent carbon (§7 Example 12)', () => {
    const result = readCarbon(carbon('sent', 'Romeo@Montague.example', inner(`${OWN}/garden`, 'juliet@capulet.example/balcony')), OWN);
    expect(result.ok && result.value.direction).toBe('sent');
  });
  it.each([
    ['from a contact (CVE-2017-5589, §11)', carbon('sent', 'juliet@capulet.example', inner(`${OWN}/garden`, 'juliet@capulet.example'))],
    ['from a full JID of the account (§11: the bare JID only)', carbon('sent', `${OWN}/garden`, inner(`${OWN}/garden`, 'juliet@capulet.example'))],
    ['without a from', carbon('received', undefined, inner('juliet@capulet.example/balcony', OWN))],
    ['a sent carbon of a message not from the account', carbon('sent', OWN, inner('juliet@capulet.example/balcony', OWN))],
    ['a received carbon of a message not to the account', carbon('received', OWN, inner('juliet@capulet.example/balcony', 'tybalt@capulet.example'))],
    ['no forwarded element', xml('message', { from: OWN }, xml('sent', { xmlns: NS_CARBONS }))],
    ['an iq inside forwarded', carbon('received', OWN, xml('iq', { type: 'get', to: OWN }))],
    ['both received and sent', xml('message', { from: OWN }, xml('sent', { xmlns: NS_CARBONS }), xml('received', { xmlns: NS_CARBONS }))],
  ])('refuses %s', (_name, stanza) => {
    expect(isCarbon(stanza)).toBe(true);
    expect(readCarbon(stanza, OWN).ok).toBe(false);
  });
  it('a plain message is no carbon', () => {
    expect(isCarbon(inner('juliet@capulet.example/balcony', OWN))).toBe(false);
  });
});
