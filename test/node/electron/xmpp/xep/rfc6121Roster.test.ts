import { describe, expect, it } from 'vitest';
import { buildRosterSet, NS_ROSTER, parseRosterPush, parseRosterQuery } from '../../../../../electron/xmpp/xep/rfc6121Roster';
import { parseXml } from '../../../../support/xmlFixture';

// RFC 6121 §2.1.4 "Roster result" (Juliet's roster).
const ROSTER_RESULT = `
<iq id='bv1bs71f' to='juliet@example.com/chamber' type='result'>
  <query xmlns='jabber:iq:roster' ver='ver11'>
    <item jid='romeo@example.net' name='Romeo' subscription='both'>
      <group>Friends</group>
    </item>
    <item jid='mercutio@example.com' name='Mercutio' subscription='from'/>
    <item jid='benvolio@example.net' name='Benvolio' subscription='both'/>
  </query>
</iq>`;

// RFC 6121 §2.1.6 "Roster push" (the nurse added by another resource).
const push = (fromAttr: string, items = `<item jid='nurse@example.com' name='Nurse' subscription='none'><group>Servants</group></item>`) => `
<iq ${fromAttr} id='a78b4q6ha463' to='juliet@example.com/chamber' type='set'>
  <query xmlns='jabber:iq:roster' ver='ver13'>${items}</query>
</iq>`;

const OWN = 'juliet@example.com';

describe('RFC 6121 roster codec', () => {
  it('parses the §2.1.4 roster result', () => {
    const query = parseXml(ROSTER_RESULT).getChild('query', NS_ROSTER)!;
    expect(parseRosterQuery(query)).toEqual([
      { jid: 'romeo@example.net', name: 'Romeo', subscription: 'both', isPending: false, groups: ['Friends'] },
      { jid: 'mercutio@example.com', name: 'Mercutio', subscription: 'from', isPending: false, groups: [] },
      { jid: 'benvolio@example.net', name: 'Benvolio', subscription: 'both', isPending: false, groups: [] },
    ]);
  });

  it('reads ask="subscribe" as pending, a missing or unknown subscription as none, and skips full JIDs', () => {
    const query = parseXml(`<query xmlns='jabber:iq:roster'>
      <item jid='a@x' ask='subscribe'/><item jid='b@x' subscription='bogus'/><item jid='c@x/res'/><item/></query>`);
    expect(parseRosterQuery(query)).toEqual([
      { jid: 'a@x', name: '', subscription: 'none', isPending: true, groups: [] },
      { jid: 'b@x', name: '', subscription: 'none', isPending: false, groups: [] },
    ]);
  });

  it.each([
    ['no from attribute', ''],
    ['from the own bare JID', `from='${OWN}'`],
    ['from the own bare JID in other case', `from='Juliet@Example.com'`],
  ])('accepts a push with %s (§2.1.6)', (_name, fromAttr) => {
    expect(parseRosterPush(parseXml(push(fromAttr)), `${OWN}/chamber`)).toEqual({
      kind: 'push', item: { jid: 'nurse@example.com', name: 'Nurse', subscription: 'none', isPending: false, groups: ['Servants'] },
    });
  });

  it.each([
    ['another account', `from='romeo@example.net'`],
    ['the own full JID', `from='${OWN}/balcony'`],
    ['the server domain', `from='example.com'`],
  ])('ignores a push from %s: "MUST ignore the stanza unless" it is from the own bare JID (§2.1.6)', (_name, fromAttr) => {
    expect(parseRosterPush(parseXml(push(fromAttr)), OWN)).toEqual({ kind: 'rejected', reason: 'untrusted-sender' });
  });

  it('refuses a push without exactly one item', () => {
    const two = `<item jid='a@x'/><item jid='b@x'/>`;
    expect(parseRosterPush(parseXml(push('', two)), OWN)).toEqual({ kind: 'rejected', reason: 'bad-request' });
    expect(parseRosterPush(parseXml(push('', '')), OWN)).toEqual({ kind: 'rejected', reason: 'bad-request' });
  });

  it('reads a removal push (subscription="remove", §2.5.3)', () => {
    const result = parseRosterPush(parseXml(push('', `<item jid='nurse@example.com' subscription='remove'/>`)), OWN);
    expect(result).toMatchObject({ kind: 'push', item: { jid: 'nurse@example.com', subscription: 'remove' } });
  });

  it('builds roster sets for add (§2.3.2) and remove (§2.5.2), with bare JIDs', () => {
    expect(buildRosterSet({ jid: 'Nurse@Example.com/x', name: 'Nurse', groups: ['Servants'] }).toString())
      .toBe(`<query xmlns="jabber:iq:roster"><item jid="nurse@example.com" name="Nurse"><group>Servants</group></item></query>`);
    expect(buildRosterSet({ jid: 'nurse@example.com', name: 'ignored', isRemove: true }).toString())
      .toBe(`<query xmlns="jabber:iq:roster"><item jid="nurse@example.com" subscription="remove"/></query>`);
  });
});
