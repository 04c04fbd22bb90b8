import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import { dstAddr } from '../../../../../electron/transport/socks5/codec';
import {
  DEFAULT_PORT, MAX_CANDIDATES, NS_JINGLE_S5B, TYPE_PREFERENCES, buildActivated, buildCandidateError, buildCandidateUsed, buildProxyError,
  buildS5bCandidates, candidatePriority, jingleDstAddr, parseS5bTransport, sortCandidatesByPriority, type S5bCandidate, type S5bTransport,
} from '../../../../../electron/xmpp/xep/xep0260JingleS5b';
import { arbitraryJingleElement, expectOkOrStanzaError, mutatedFixture } from '../../../../support/jingleFixtures';
import { el, reparse } from '../../../../support/xepFixtures';

const ROMEO = 'romeo@montague.lit/orchard';
const JULIET = 'juliet@capulet.lit/balcony';
const INITIATOR_TRANSPORT = `
      <transport xmlns='urn:xmpp:jingle:transports:s5b:1'
                 dstaddr='972b7bf47291ca609517f67f86b5081086052dad'
                 mode='tcp'
                 sid='vj3hs98y'>
        <candidate cid='hft54dqy' host='192.168.4.1' jid='romeo@montague.lit/orchard' port='5086' priority='8257636' type='direct'/>
        <candidate cid='hutr46fe' host='24.24.24.1' jid='romeo@montague.lit/orchard' port='5087' priority='8258636' type='direct'/>
        <candidate cid='xmdh4b7i' host='123.456.7.8' jid='streamer.shakespeare.lit' port='7625' priority='7878787' type='proxy'/>
      </transport>`;
const RESPONDER_TRANSPORT = `
      <transport xmlns='urn:xmpp:jingle:transports:s5b:1' dstaddr='1a12fb7bc625e55f3ed5b29a53dbe0e4aa7d80ba' sid='vj3hs98y'>
        <candidate cid='ht567dq' host='192.169.1.10' jid='juliet@capulet.lit/balcony' port='6539' priority='8257636' type='direct'/>
        <candidate cid='grt654q2' host='2001:638:708:30c9:219:d1ff:fea4:a17d' jid='juliet@capulet.lit/balcony' port='6539' priority='8257606' type='direct'/>
        <candidate cid='hr65dqyd' host='134.102.201.180' jid='juliet@capulet.lit/balcony' port='16453' priority='7929856' type='assisted'/>
        <candidate cid='pzv14s74' host='234.567.8.9' jid='proxy.marlowe.lit' port='7676' priority='7788877' type='proxy'/>
      </transport>`;
const transport = (children: string, attrs = "sid='vj3hs98y'") => `<transport xmlns='${NS_JINGLE_S5B}' ${attrs}>${children}</transport>`;
const candidate = (attrs: string) => `<candidate ${attrs}/>`;
const GOOD = "cid='c1' host='10.0.0.1' jid='romeo@montague.lit/orchard' port='1' priority='1'";

const romeoDirect = (cid: string, host: string, port: number, priority: number): S5bCandidate => ({ cid, host, jid: ROMEO, port, priority, type: 'direct' });

describe('XEP-0260 candidates (§2.2)', () => {
  it('parses the initiator\'s candidates with a proxy and its dstaddr (§2.2 example 1)', () => {
    expect(parseS5bTransport(el(INITIATOR_TRANSPORT))).toEqual({ ok: true, value: {
      kind: 'candidates', sid: 'vj3hs98y', dstAddr: '972b7bf47291ca609517f67f86b5081086052dad', mode: 'tcp',
      candidates: [
        romeoDirect('hft54dqy', '192.168.4.1', 5086, 8257636),
        romeoDirect('hutr46fe', '24.24.24.1', 5087, 8258636),
        { cid: 'xmdh4b7i', host: '123.456.7.8', jid: 'streamer.shakespeare.lit', port: 7625, priority: 7878787, type: 'proxy' },
      ],
    } });
  });

  it('parses the responder\'s candidates without mode as tcp, IPv6 and assisted included (§2.2 example 3)', () => {
    const result = parseS5bTransport(el(RESPONDER_TRANSPORT));
    expect(result).toMatchObject({ ok: true, value: { kind: 'candidates', mode: 'tcp', dstAddr: '1a12fb7bc625e55f3ed5b29a53dbe0e4aa7d80ba' } });
    const candidates = result.ok && result.value.kind === 'candidates' ? result.value.candidates : [];
    expect(candidates.map((c) => [c.cid, c.type])).toEqual([['ht567dq', 'direct'], ['grt654q2', 'direct'], ['hr65dqyd', 'assisted'], ['pzv14s74', 'proxy']]);
    expect(candidates[1].host).toBe('2001:638:708:30c9:219:d1ff:fea4:a17d');
  });

  it('computes both example dstaddrs with the candidate owner first (§2.2), as the SOCKS5 codec does', () => {
    expect(jingleDstAddr('vj3hs98y', ROMEO, JULIET)).toBe('972b7bf47291ca609517f67f86b5081086052dad');
    expect(jingleDstAddr('vj3hs98y', JULIET, ROMEO)).toBe('1a12fb7bc625e55f3ed5b29a53dbe0e4aa7d80ba');
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (sid, a, b) => {
      expect(jingleDstAddr(sid, a, b)).toBe(dstAddr(sid, a, b));
    }));
  });

  it('reads an empty transport as no candidates (§2.2: a session-accept transport "MAY instead be empty")', () => {
    expect(parseS5bTransport(el(transport('')))).toEqual({ ok: true, value: { kind: 'candidates', sid: 'vj3hs98y', dstAddr: null, mode: 'tcp', candidates: [] } });
  });

  it('defaults a missing port to 1080 and a missing type to direct (§9 schema)', () => {
    const result = parseS5bTransport(el(transport(candidate("cid='c' host='h.example' jid='p.example' priority='5'"))));
    expect(result.ok && result.value.kind === 'candidates' && result.value.candidates).toEqual([{ cid: 'c', host: 'h.example', jid: 'p.example', port: DEFAULT_PORT, priority: 5, type: 'direct' }]);
  });

  it.each([
    ['no cid', GOOD.replace("cid='c1'", '')],
    ['a cid with whitespace', GOOD.replace("cid='c1'", "cid='c 1'")],
    ['no host', GOOD.replace("host='10.0.0.1'", '')],
    ['a host with a space', GOOD.replace("host='10.0.0.1'", "host='10.0.0.1 '")],
    ['a host with a slash', GOOD.replace("host='10.0.0.1'", "host='a/b'")],
    ['a non-ASCII host', GOOD.replace("host='10.0.0.1'", "host='bücher.example'")],
    ['a 256-character host', GOOD.replace("host='10.0.0.1'", `host='${'h'.repeat(256)}'`)],
    ['no jid', GOOD.replace("jid='romeo@montague.lit/orchard'", '')],
    ['port 0', GOOD.replace("port='1'", "port='0'")],
    ['port 65536', GOOD.replace("port='1'", "port='65536'")],
    ['no priority (REQUIRED)', GOOD.replace("priority='1'", '')],
    ['a negative priority', GOOD.replace("priority='1'", "priority='-1'")],
    ['an unknown type', `${GOOD} type='relay'`],
  ])('skips a candidate with %s and keeps the others', (_label, attrs) => {
    const result = parseS5bTransport(el(transport(candidate(attrs) + candidate(GOOD.replace("cid='c1'", "cid='ok'")))));
    expect(result.ok && result.value.kind === 'candidates' && result.value.candidates.map((c) => c.cid)).toEqual(['ok']);
  });

  it(`keeps at most ${MAX_CANDIDATES} usable candidates of a hostile transport, in document order, and counts the rest`, () => {
    const many = Array.from({ length: 300 }, (_, i) => candidate(`cid='c${i}' host='10.0.${i >> 8}.${i & 255}' jid='p.example' port='7777' priority='${i + 1}'`));
    const result = parseS5bTransport(el(transport(candidate("cid='bad'") + many.join(''))));
    expect(result.ok && result.value.kind === 'candidates' && result.value.candidates.map((c) => c.cid)).toEqual(Array.from({ length: MAX_CANDIDATES }, (_, i) => `c${i}`));
    expect(result.ok && result.value.kind === 'candidates' && result.value.ignoredCandidates).toBe(300 - MAX_CANDIDATES);
  });

  it('sorts candidates highest priority first (§2.2 SHOULD), keeping document order among equals', () => {
    const result = parseS5bTransport(el(INITIATOR_TRANSPORT));
    const candidates = result.ok && result.value.kind === 'candidates' ? result.value.candidates : [];
    expect(sortCandidatesByPriority(candidates).map((c) => c.cid)).toEqual(['hutr46fe', 'hft54dqy', 'xmdh4b7i']);
    const tied = [romeoDirect('a', 'h', 1, 5), romeoDirect('b', 'h', 1, 9), romeoDirect('c', 'h', 1, 5)];
    expect(sortCandidatesByPriority(tied).map((c) => c.cid)).toEqual(['b', 'a', 'c']);
    expect(tied.map((c) => c.cid)).toEqual(['a', 'b', 'c']);
  });

  it('computes priority = 2^16 × type preference + local preference with the §2.2 table', () => {
    expect(TYPE_PREFERENCES).toEqual({ direct: 126, assisted: 120, tunnel: 110, proxy: 10 });
    expect(candidatePriority('direct', 100)).toBe(8257636);
    expect(candidatePriority('assisted', 0)).toBe(120 * 65536);
    expect(candidatePriority('tunnel', 65535)).toBe(110 * 65536 + 65535);
    expect(candidatePriority('proxy', 0)).toBe(655360);
    for (const bad of [-1, 65536, 1.5, Number.NaN]) expect(() => candidatePriority('direct', bad)).toThrow(RangeError);
  });
});

describe('XEP-0260 transport-info payloads (§2.3, §2.4)', () => {
  it.each([
    ['candidate-used (§2.3 example 5)', "<candidate-used cid='hr65dqyd'/>", { kind: 'candidate-used', sid: 'vj3hs98y', cid: 'hr65dqyd' }],
    ['candidate-error (§2.3 example 7)', '<candidate-error/>', { kind: 'candidate-error', sid: 'vj3hs98y' }],
    ['activated (§2.4 example 11)', "<activated cid='xmdh4b7i'/>", { kind: 'activated', sid: 'vj3hs98y', cid: 'xmdh4b7i' }],
    ['proxy-error (§2.4 example 12)', '<proxy-error/>', { kind: 'proxy-error', sid: 'vj3hs98y' }],
  ])('parses %s and round-trips it', (_label, child, expected) => {
    expect(parseS5bTransport(el(transport(child)))).toEqual({ ok: true, value: expected });
    expect(parseS5bTransport(reparse(build(expected as S5bTransport)))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['no sid (MUST be included)', transport('<candidate-error/>', '')],
    ['an unknown mode', transport('', "sid='s' mode='sctp'")],
    ['a dstaddr that is not a SHA-1 hash', transport('', "sid='s' dstaddr='abc'")],
    ['candidates mixed with candidate-used (§9 schema choice)', transport(candidate(GOOD) + "<candidate-used cid='c1'/>")],
    ['candidate-error mixed with proxy-error', transport('<candidate-error/><proxy-error/>')],
    ['two candidate-used (maxOccurs 1)', transport("<candidate-used cid='a'/><candidate-used cid='b'/>")],
    ['two candidate-error', transport('<candidate-error/><candidate-error/>')],
    ['a candidate-used without cid (REQUIRED)', transport('<candidate-used/>')],
    ['an activated with an empty cid', transport("<activated cid=''/>")],
    ['another namespace', "<transport xmlns='urn:xmpp:jingle:transports:ibb:1' sid='s'/>"],
  ])('refuses %s as bad-request', (_label, text) => {
    expect(parseS5bTransport(el(text))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('builds mode only when given (§2.2: the responder MUST NOT include it) and refuses bad values', () => {
    const candidates = [romeoDirect('hft54dqy', '192.168.4.1', 5086, 8257636)];
    expect(buildS5bCandidates({ sid: 's', candidates }).attrs).toEqual({ xmlns: NS_JINGLE_S5B, sid: 's' });
    expect(buildS5bCandidates({ sid: 's', mode: 'tcp', dstAddr: '972b7bf47291ca609517f67f86b5081086052dad', candidates }).attrs)
      .toEqual({ xmlns: NS_JINGLE_S5B, dstaddr: '972b7bf47291ca609517f67f86b5081086052dad', mode: 'tcp', sid: 's' });
    expect(() => buildS5bCandidates({ sid: 'a b', candidates })).toThrow(RangeError);
    expect(() => buildS5bCandidates({ sid: 's', dstAddr: 'nope', candidates })).toThrow(RangeError);
    expect(() => buildS5bCandidates({ sid: 's', candidates: [{ ...candidates[0], host: 'a b' }] })).toThrow(RangeError);
    expect(() => buildS5bCandidates({ sid: 's', candidates: [{ ...candidates[0], port: 0 }] })).toThrow(RangeError);
    expect(() => buildCandidateUsed({ sid: 's', cid: '' })).toThrow(RangeError);
  });
});

function build(value: S5bTransport): Element {
  switch (value.kind) {
    case 'candidates': return buildS5bCandidates(value);
    case 'candidate-used': return buildCandidateUsed(value);
    case 'candidate-error': return buildCandidateError(value);
    case 'activated': return buildActivated(value);
    case 'proxy-error': return buildProxyError(value);
  }
}

describe('XEP-0260 properties', () => {
  const id = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
  const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()).filter((h) => h.length <= 255);
  const s5bCandidate: fc.Arbitrary<S5bCandidate> = fc.record({
    cid: id, host, jid: fc.constantFrom(ROMEO, JULIET, 'proxy.example.net'), port: fc.integer({ min: 1, max: 65535 }),
    priority: fc.nat({ max: 0xffffffff }), type: fc.constantFrom('assisted', 'direct', 'proxy', 'tunnel'),
  });
  const value: fc.Arbitrary<S5bTransport> = fc.oneof(
    fc.record({
      kind: fc.constant('candidates' as const), sid: id, dstAddr: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: null }),
      mode: fc.constantFrom('tcp' as const, 'udp' as const), candidates: fc.array(s5bCandidate, { maxLength: MAX_CANDIDATES }),
    }),
    fc.record({ kind: fc.constantFrom('candidate-used' as const, 'activated' as const), sid: id, cid: id }),
    fc.record({ kind: fc.constantFrom('candidate-error' as const, 'proxy-error' as const), sid: id }),
  );

  it('round-trips any transport through its builder and parseS5bTransport', () => {
    fc.assert(fc.property(value, (transportValue) => {
      expect(parseS5bTransport(reparse(build(transportValue)))).toEqual({ ok: true, value: transportValue });
    }));
  });

  it('never throws on random or mutated elements, and fails only with bad-request', () => {
    const fixtures = [INITIATOR_TRANSPORT, RESPONDER_TRANSPORT, transport("<candidate-used cid='hr65dqyd'/>"), transport("<activated cid='x'/>"), transport('<proxy-error/>')];
    fc.assert(fc.property(fc.oneof(arbitraryJingleElement, mutatedFixture(fixtures)), (element: Element) => {
      const result = parseS5bTransport(element);
      expectOkOrStanzaError(result);
      if (result.ok && result.value.kind === 'candidates') expect(result.value.candidates.length).toBeLessThanOrEqual(MAX_CANDIDATES);
    }), { numRuns: 2000 });
  });
});
