import xml from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { NS_SID, readStanzaIds } from '../../../../../electron/xmpp/xep/xep0359StanzaIds';

const OWN = 'alice@example.org';
const msg = (...children: ReturnType<typeof xml>[]) => xml('message', { from: 'bob@example.org/x', type: 'chat' }, xml('body', {}, 'hi'), ...children);

describe('readStanzaIds (XEP-0359)', () => {
  it.each([
    ['the server\'s stanza-id and the origin-id (§2.1, §2.2 examples)', msg(
      xml('stanza-id', { xmlns: NS_SID, id: 'de305d54-75b4-431b-adb2-eb6b9e546013', by: 'alice@example.org' }),
      xml('origin-id', { xmlns: NS_SID, id: 'de305d54-75b4-431b-adb2-eb6b9e546013' }),
    ), { stanzaId: 'de305d54-75b4-431b-adb2-eb6b9e546013', originId: 'de305d54-75b4-431b-adb2-eb6b9e546013' }],
    ['by compared case-insensitively', msg(xml('stanza-id', { xmlns: NS_SID, id: 'S', by: 'Alice@Example.org' })), { stanzaId: 'S', originId: null }],
    ['a stanza-id by someone else (a sender could forge it, §7)', msg(xml('stanza-id', { xmlns: NS_SID, id: 'S', by: 'bob@example.org' })), { stanzaId: null, originId: null }],
    ['two stanza-ids with our by (§3: at most one) are both ignored', msg(
      xml('stanza-id', { xmlns: NS_SID, id: 'A', by: OWN }), xml('stanza-id', { xmlns: NS_SID, id: 'B', by: OWN }),
    ), { stanzaId: null, originId: null }],
    ['another namespace', msg(xml('stanza-id', { xmlns: 'urn:xmpp:sid:1', id: 'S', by: OWN })), { stanzaId: null, originId: null }],
    ['an empty or overlong id', msg(xml('stanza-id', { xmlns: NS_SID, id: '', by: OWN }), xml('origin-id', { xmlns: NS_SID, id: 'x'.repeat(257) })), { stanzaId: null, originId: null }],
    ['no ids at all', msg(), { stanzaId: null, originId: null }],
  ])('%s', (_name, stanza, expected) => {
    expect(readStanzaIds(stanza, OWN)).toEqual(expected);
  });
});
