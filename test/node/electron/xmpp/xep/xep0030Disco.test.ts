import { describe, expect, it } from 'vitest';
import {
  buildInfoQuery, buildInfoResult, buildItemsResult, hasIdentity, NS_DISCO_INFO, NS_DISCO_ITEMS, parseInfo, parseItems,
} from '../../../../../electron/xmpp/xep/xep0030Disco';
import { parseXml } from '../../../../support/xmlFixture';

// XEP-0030 §3.1 Example 2 "Result-set for information request".
const INFO_RESULT = `
<iq type='result' from='plays.shakespeare.lit' to='romeo@montague.net/orchard' id='info1'>
  <query xmlns='http://jabber.org/protocol/disco#info'>
    <identity category='conference' type='text' name='Play-Specific Chatrooms'/>
    <identity category='directory' type='chatroom' name='Play-Specific Chatrooms'/>
    <feature var='http://jabber.org/protocol/disco#info'/>
    <feature var='http://jabber.org/protocol/disco#items'/>
    <feature var='http://jabber.org/protocol/muc'/>
    <feature var='jabber:iq:register'/>
    <feature var='jabber:iq:search'/>
    <feature var='jabber:iq:time'/>
    <feature var='jabber:iq:version'/>
  </query>
</iq>`;

// XEP-0030 §3.2 "JID+node result".
const NODE_RESULT = `
<iq type='result' from='mim.shakespeare.lit' to='romeo@montague.net/orchard' id='info3'>
  <query xmlns='http://jabber.org/protocol/disco#info' node='http://jabber.org/protocol/commands'>
    <identity category='automation' type='command-list'/>
  </query>
</iq>`;

// XEP-0030 §4.1 "Result-set for all items" (first three) and §4.2 "Service returns nodes" (one).
const ITEMS_RESULT = `
<iq type='result' from='shakespeare.lit' to='romeo@montague.net/orchard' id='items1'>
  <query xmlns='http://jabber.org/protocol/disco#items'>
    <item jid='people.shakespeare.lit' name='Directory of Characters'/>
    <item jid='plays.shakespeare.lit' name='Play-Specific Chatrooms'/>
    <item jid='catalog.shakespeare.lit' node='books' name='Books by and about Shakespeare'/>
  </query>
</iq>`;

const query = (text: string, ns: string) => parseXml(text).getChild('query', ns)!;

describe('XEP-0030 disco#info', () => {
  it('parses the identities and features of §3.1 Example 2', () => {
    const info = parseInfo(query(INFO_RESULT, NS_DISCO_INFO));
    expect(info.identities).toEqual([
      { category: 'conference', type: 'text', name: 'Play-Specific Chatrooms' },
      { category: 'directory', type: 'chatroom', name: 'Play-Specific Chatrooms' },
    ]);
    expect(info.features).toHaveLength(7);
    expect(info.features[2]).toBe('http://jabber.org/protocol/muc');
    expect(info.node).toBeUndefined();
    expect(hasIdentity(info, 'directory', 'chatroom')).toBe(true);
    expect(hasIdentity(info, 'proxy', 'bytestreams')).toBe(false);
  });

  it('keeps the mirrored node and an identity without name (§3.2)', () => {
    const info = parseInfo(query(NODE_RESULT, NS_DISCO_INFO));
    expect(info).toEqual({ node: 'http://jabber.org/protocol/commands', identities: [{ category: 'automation', type: 'command-list' }], features: [], forms: [] });
  });

  it('skips identities without category/type and features without var (§3.1 MUSTs)', () => {
    const info = parseInfo(parseXml(`<query xmlns='${NS_DISCO_INFO}'>
      <identity type='pc'/><identity category='client'/><identity category='client' type='pc'/>
      <feature/><feature var='urn:x'/></query>`));
    expect(info.identities).toEqual([{ category: 'client', type: 'pc' }]);
    expect(info.features).toEqual(['urn:x']);
  });

  it('refuses an element that is not a disco#info query', () => {
    expect(() => parseInfo(parseXml(`<query xmlns='${NS_DISCO_ITEMS}'/>`))).toThrow();
  });

  it('builds what it parses, with node, xml:lang and a XEP-0128 form', () => {
    const info = {
      node: 'n#v', identities: [{ category: 'client', type: 'pc', name: 'Ferry', lang: 'en' }], features: ['a', 'b'],
      forms: [{ type: 'result', formType: 'urn:x:form', fields: [{ var: 'f', type: '', values: ['1', '2'] }] }],
    };
    const parsed = parseInfo(parseXml(buildInfoResult(info).toString()));
    expect(parsed).toEqual({ ...info, forms: [{ ...info.forms[0], fields: [{ var: 'FORM_TYPE', type: 'hidden', values: ['urn:x:form'] }, ...info.forms[0].fields] }] });
  });

  it('builds an empty get query, with node only when given', () => {
    expect(buildInfoQuery().toString()).toBe(`<query xmlns="${NS_DISCO_INFO}"/>`);
    expect(buildInfoQuery('x').attrs.node).toBe('x');
  });
});

describe('XEP-0030 disco#items', () => {
  it('parses §4.1 and §4.2 items with name and node', () => {
    expect(parseItems(query(ITEMS_RESULT, NS_DISCO_ITEMS))).toEqual([
      { jid: 'people.shakespeare.lit', name: 'Directory of Characters' },
      { jid: 'plays.shakespeare.lit', name: 'Play-Specific Chatrooms' },
      { jid: 'catalog.shakespeare.lit', node: 'books', name: 'Books by and about Shakespeare' },
    ]);
  });

  it('drops items without the REQUIRED jid and round-trips through the builder', () => {
    expect(parseItems(parseXml(`<query xmlns='${NS_DISCO_ITEMS}'><item name='x'/></query>`))).toEqual([]);
    const items = [{ jid: 'a.example' }, { jid: 'b.example', node: 'n', name: 'B' }];
    expect(parseItems(parseXml(buildItemsResult(items, 'top').toString()))).toEqual(items);
  });
});
