import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_STREAMHOSTS, NS_BYTESTREAMS, buildActivate, buildAddressQuery, buildAddressResult, buildStreamhostOffer, buildStreamhostUsed,
  parseActivate, parseAddressResult, parseStreamhostOffer, parseStreamhostUsed,
} from '../../../../../electron/xmpp/xep/xep0065Bytestreams';
import { arbitraryElement, payload, reparse } from '../../../../support/xepFixtures';

describe('XEP-0065 initiation (§5.3.1, §6.3.1, §7)', () => {
  it.each([
    ['direct (§5.3.1)', `
      <iq from='requester@example.com/foo' id='hu3vax16' to='target@example.org/bar' type='set'>
        <query xmlns='http://jabber.org/protocol/bytestreams' sid='vxf9n471bn46'>
          <streamhost jid='requester@example.com/foo' host='192.168.4.1' port='5086'/>
        </query>
      </iq>`,
    { sid: 'vxf9n471bn46', mode: 'tcp', dstAddr: null, streamhosts: [{ jid: 'requester@example.com/foo', host: '192.168.4.1', port: 5086 }] }],
    ['through a MUC room with dstaddr (§7)', `
      <iq from='room@conference.example.net/Rter' id='npq71g53' to='target@example.org/bar' type='set'>
        <query xmlns='http://jabber.org/protocol/bytestreams' dstaddr='416781edf1ae50bad01cb8509ba35b43952bc345' sid='yia72g3v49j7'>
          <streamhost host='24.24.24.1' jid='streamer.example.com' port='7625'/>
        </query>
      </iq>`,
    { sid: 'yia72g3v49j7', mode: 'tcp', dstAddr: '416781edf1ae50bad01cb8509ba35b43952bc345', streamhosts: [{ jid: 'streamer.example.com', host: '24.24.24.1', port: 7625 }] }],
    ['from Spark with two streamhosts in order (seed 001)', `
      <iq id="vrC08-127" to="user2@host/spark" from="user1@host/spark" type="set">
        <query xmlns="http://jabber.org/protocol/bytestreams" sid="jsi_5471441136722873260" mode="tcp">
          <streamhost jid="user1@host/spark" host="10.211.167.248" port="7777"></streamhost>
          <streamhost jid="proxy.jivesoftware.com" host="63.246.20.126" port="7777"></streamhost>
        </query>
      </iq>`,
    { sid: 'jsi_5471441136722873260', mode: 'tcp', dstAddr: null, streamhosts: [
      { jid: 'user1@host/spark', host: '10.211.167.248', port: 7777 },
      { jid: 'proxy.jivesoftware.com', host: '63.246.20.126', port: 7777 },
    ] }],
    ['in UDP mode (§8.2)', `
      <iq from='requester@example.com/foo' id='xi2d1973' to='target@example.org/bar' type='set'>
        <query xmlns='http://jabber.org/protocol/bytestreams' mode='udp' sid='mySID'>
          <streamhost host='192.168.4.1' jid='requester@example.com/foo' port='5086'/>
        </query>
      </iq>`,
    { sid: 'mySID', mode: 'udp', dstAddr: null, streamhosts: [{ jid: 'requester@example.com/foo', host: '192.168.4.1', port: 5086 }] }],
  ])('parses the example %s', (_label, stanza, expected) => {
    const result = parseStreamhostOffer(payload(stanza));
    expect(result).toEqual({ ok: true, value: expected });
    if (result.ok) expect(parseStreamhostOffer(reparse(buildStreamhostOffer(result.value)))).toEqual(result);
  });

  it.each([
    ['no sid (MUST return bad-request)', `<query xmlns='${NS_BYTESTREAMS}'><streamhost jid='a@b/c' host='h' port='1'/></query>`],
    ['no streamhost', `<query xmlns='${NS_BYTESTREAMS}' sid='s'/>`],
    ['only unusable streamhosts', `<query xmlns='${NS_BYTESTREAMS}' sid='s'><streamhost jid='a@b/c' host='h'/><streamhost jid='' host='h' port='1'/><streamhost jid='a@b' host='h' port='70000'/></query>`],
    ['an unknown mode', `<query xmlns='${NS_BYTESTREAMS}' sid='s' mode='sctp'><streamhost jid='a@b/c' host='h' port='1'/></query>`],
    ['a dstaddr that is not a hash', `<query xmlns='${NS_BYTESTREAMS}' sid='s' dstaddr='abc'><streamhost jid='a@b/c' host='h' port='1'/></query>`],
    ['another namespace', `<query xmlns='http://jabber.org/protocol/disco#info' sid='s'/>`],
  ])('refuses an offer with %s as bad-request', (_label, query) => {
    expect(parseStreamhostOffer(payload(`<iq>${query}</iq>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('skips a streamhost without port but keeps the others', () => {
    const result = parseStreamhostOffer(payload(`<iq><query xmlns='${NS_BYTESTREAMS}' sid='s'>
      <streamhost jid='a@b/c' host='h'/><streamhost jid='p.b' host='10.0.0.1' port='7777'/></query></iq>`));
    expect(result.ok && result.value.streamhosts).toEqual([{ jid: 'p.b', host: '10.0.0.1', port: 7777 }]);
  });

  it('keeps at most 16 usable streamhosts of a hostile offer, in document order, and counts the rest as ignored', () => {
    const hosts = Array.from({ length: 500 }, (_, i) => `<streamhost jid='p${i}.b' host='10.0.${i >> 8}.${i & 255}' port='7777'/>`);
    const result = parseStreamhostOffer(payload(`<iq><query xmlns='${NS_BYTESTREAMS}' sid='s'><streamhost jid='x@b/c' host='h'/>${hosts.join('')}</query></iq>`));
    expect(MAX_STREAMHOSTS).toBe(16);
    expect(result.ok && result.value.streamhosts.map((h) => h.jid)).toEqual(Array.from({ length: 16 }, (_, i) => `p${i}.b`));
    expect(result.ok && result.value.ignoredStreamhosts).toBe(484);
  });

  it('builds mode tcp explicitly and refuses to build an offer without streamhosts', () => {
    const built = buildStreamhostOffer({ sid: 's', mode: 'tcp', dstAddr: null, streamhosts: [{ jid: 'a@b/c', host: '::1', port: 1 }] });
    expect(built.attrs).toMatchObject({ xmlns: NS_BYTESTREAMS, sid: 's', mode: 'tcp' });
    expect(built.attrs.dstaddr).toBeUndefined();
    expect(() => buildStreamhostOffer({ sid: 's', mode: 'tcp', dstAddr: null, streamhosts: [] })).toThrow(RangeError);
  });
});

describe('XEP-0065 streamhost-used (§5.3.3, §6.3.3)', () => {
  it('parses the mediated example and round-trips', () => {
    const query = payload(`
      <iq from='target@example.org/bar' id='npq71g53' to='requester@example.com/foo' type='result'>
        <query xmlns='http://jabber.org/protocol/bytestreams' sid='vxf9n471bn46'>
          <streamhost-used jid='streamer.example.com'/>
        </query>
      </iq>`);
    expect(parseStreamhostUsed(query)).toEqual({ ok: true, value: { sid: 'vxf9n471bn46', jid: 'streamer.example.com' } });
    expect(parseStreamhostUsed(reparse(buildStreamhostUsed({ sid: 'x', jid: 'a@b/c' })))).toEqual({ ok: true, value: { sid: 'x', jid: 'a@b/c' } });
  });

  it.each([
    ['none', ''],
    ['two (MUST be only one)', "<streamhost-used jid='a@b'/><streamhost-used jid='c@d'/>"],
    ['one without jid', '<streamhost-used/>'],
  ])('refuses %s', (_label, children) => {
    expect(parseStreamhostUsed(payload(`<iq><query xmlns='${NS_BYTESTREAMS}'>${children}</query></iq>`)).ok).toBe(false);
  });
});

describe('XEP-0065 activation and proxy address (§4, §6.3.5)', () => {
  it('parses the activation example and round-trips', () => {
    const query = payload(`
      <iq from='requester@example.com/foo' id='oqx6t1c9' to='streamer.example.com' type='set'>
        <query xmlns='http://jabber.org/protocol/bytestreams' sid='vxf9n471bn46'>
          <activate>target@example.org/bar</activate>
        </query>
      </iq>`);
    const expected = { ok: true, value: { sid: 'vxf9n471bn46', targetJid: 'target@example.org/bar' } };
    expect(parseActivate(query)).toEqual(expected);
    expect(parseActivate(reparse(buildActivate(expected.value)))).toEqual(expected);
    expect(parseActivate(payload(`<iq><query xmlns='${NS_BYTESTREAMS}' sid='s'><activate/></query></iq>`)).ok).toBe(false);
  });

  it('builds the address query without sid and parses the proxy\'s answer', () => {
    expect(buildAddressQuery().toString()).toBe(`<query xmlns="${NS_BYTESTREAMS}"/>`);
    const query = payload(`
      <iq from='streamer.example.com' id='uj2c15z9' to='requester@example.com/foo' type='result'>
        <query xmlns='http://jabber.org/protocol/bytestreams'>
          <streamhost host='24.24.24.1' jid='streamer.example.com' port='7625'/>
        </query>
      </iq>`);
    const hosts = [{ jid: 'streamer.example.com', host: '24.24.24.1', port: 7625 }];
    expect(parseAddressResult(query)).toEqual({ ok: true, value: hosts });
    expect(parseAddressResult(reparse(buildAddressResult(hosts)))).toEqual({ ok: true, value: hosts });
    expect(parseAddressResult(reparse(buildAddressQuery())).ok).toBe(false);
  });
});

describe('XEP-0065 parsers on random elements', () => {
  it.each([parseStreamhostOffer, parseStreamhostUsed, parseActivate, parseAddressResult].map((f) => [f.name, f] as const))(
    '%s never throws and fails with a stanza error',
    (_name, parser) => {
      fc.assert(fc.property(arbitraryElement, (element) => {
        const result = parser(element);
        if (!result.ok) expect(result.error.condition).toBe('bad-request');
      }), { numRuns: 1000 });
    },
  );
});
