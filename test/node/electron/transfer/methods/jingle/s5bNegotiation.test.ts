import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  afterProxyError, candidatesWorthTrying, fallbackStep, localCandidates, nominate,
  type CandidateReport, type S5bCandidate,
} from '../../../../../../electron/transfer/methods/jingle/s5bNegotiation';
import { candidatePriority, type CandidateType } from '../../../../../../electron/xmpp/xep/xep0260JingleS5b';
import type { JingleRole } from '../../../../../../electron/transfer/methods/jingle/sessionTypes';

const ROMEO = 'romeo@montague.lit/orchard';
const JULIET = 'juliet@capulet.lit/balcony';

function counter(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${next++}`;
}

function candidate(cid: string, priority: number, type: CandidateType = 'direct'): S5bCandidate {
  return { cid, host: '192.0.2.1', port: 5086, jid: type === 'proxy' ? 'proxy.example' : ROMEO, priority, type };
}

describe('our candidates (XEP-0260 §2.1, §2.2)', () => {
  const proxies = [{ jid: 'proxy.montague.lit', host: '198.51.100.7', port: 7777 }, { jid: 'relay.example', host: '203.0.113.9', port: 7625 }];

  it('offers every address, in the given order, loopback last, then the proxies, priorities descending (§2.1 RECOMMENDED: as many non-proxy candidates as possible)', () => {
    const list = localCandidates({
      directAddresses: ['127.0.0.1', '192.168.4.1', '2001:db8::5', '::1', '10.0.0.2'], port: 5086, proxies, ownJid: ROMEO, makeCid: counter('c'),
    });
    expect(list.map((c) => [c.cid, c.host, c.type, c.jid])).toEqual([
      ['c0', '192.168.4.1', 'direct', ROMEO], ['c1', '2001:db8::5', 'direct', ROMEO], ['c2', '10.0.0.2', 'direct', ROMEO],
      ['c3', '127.0.0.1', 'direct', ROMEO], ['c4', '::1', 'direct', ROMEO],
      ['c5', '198.51.100.7', 'proxy', 'proxy.montague.lit'], ['c6', '203.0.113.9', 'proxy', 'relay.example'],
    ]);
    expect(list.map((c) => c.priority)).toEqual([...list.map((c) => c.priority)].sort((a, b) => b - a));
    expect(list[0].priority).toBe(candidatePriority('direct', 65535));
    expect(list[5]).toMatchObject({ port: 7777, priority: candidatePriority('proxy', 65535) });
  });

  it('never offers a host/port the initiator already offered, nor one twice (§2.2 MUST NOT)', () => {
    const list = localCandidates({
      directAddresses: ['192.168.4.1', '192.168.4.1', '10.0.0.2'], port: 5086, proxies, ownJid: JULIET, makeCid: counter('r'),
      peerCandidates: [{ host: '203.0.113.9', port: 7625 }, { host: '10.0.0.2', port: 5086 }],
    });
    expect(list.map((c) => `${c.host}:${c.port}`)).toEqual(['192.168.4.1:5086', '198.51.100.7:7777']);
  });

  it('the file receiver ranks its candidates below the sender\'s, so when both connect the sender\'s wins (§2.4 rule 3) and the receiver reads the socket it opened', () => {
    const sender = localCandidates({ directAddresses: ['127.0.0.1', '192.168.4.1'], port: 5086, proxies, ownJid: ROMEO, makeCid: counter('s') });
    const receiver = localCandidates({
      directAddresses: ['127.0.0.1', '192.168.4.2'], port: 6000, proxies: [], ownJid: JULIET, receivesFile: true, makeCid: counter('r'),
    });
    expect(receiver.map((c) => c.priority)).toEqual([candidatePriority('direct', 65535 - 1024), candidatePriority('direct', 65535 - 1025)]);
    expect(Math.max(...receiver.map((c) => c.priority))).toBeLessThan(Math.min(...sender.filter((c) => c.type === 'direct').map((c) => c.priority)));
    // The sender (initiator) connected to the receiver's best, the receiver to the sender's loopback one.
    const atSender = nominate({ role: 'initiator', local: sender, remote: receiver, localReport: used('r0'), remoteReport: used('s1') });
    const atReceiver = nominate({ role: 'responder', local: receiver, remote: sender, localReport: used('s1'), remoteReport: used('r0') });
    expect(atSender).toMatchObject({ kind: 'nominated', owner: 'local', candidate: { cid: 's1' } });
    expect(atReceiver).toMatchObject({ kind: 'nominated', owner: 'remote', candidate: { cid: 's1' } });
  });

  it('makes distinct random-looking cids by default', () => {
    const list = localCandidates({ directAddresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], port: 1, proxies: [], ownJid: ROMEO });
    expect(new Set(list.map((c) => c.cid)).size).toBe(3);
    for (const c of list) expect(c.cid).toMatch(/^[0-9a-f]{12}$/);
  });
});

type NominationRow = [title: string, role: JingleRole, local: S5bCandidate[], remote: S5bCandidate[], localReport: CandidateReport | null, remoteReport: CandidateReport | null, expected: object];

const used = (cid: string): CandidateReport => ({ kind: 'candidate-used', cid });
const error: CandidateReport = { kind: 'candidate-error' };
const mine = [candidate('L-high', 8257636), candidate('L-low', 8257606), candidate('L-proxy', 655360, 'proxy')];
const theirs = [candidate('R-high', 8257636), candidate('R-mid', 8257620), candidate('R-proxy', 655370, 'proxy')];

const NOMINATION: NominationRow[] = [
  ['both used, ours higher → ours (the peer\'s candidate) wins (rule 3)', 'responder', mine, theirs, used('R-mid'), used('L-low'), { kind: 'nominated', owner: 'remote', candidate: { cid: 'R-mid' }, proxy: 'none' }],
  ['both used, theirs higher → theirs (our candidate) wins (rule 3)', 'initiator', mine, theirs, used('R-mid'), used('L-high'), { kind: 'nominated', owner: 'local', candidate: { cid: 'L-high' } }],
  ['equal priority, we are the initiator → our choice wins (rule 4)', 'initiator', mine, theirs, used('R-high'), used('L-high'), { kind: 'nominated', owner: 'remote', candidate: { cid: 'R-high' } }],
  ['equal priority, we are the responder → the initiator\'s choice wins (rule 4)', 'responder', mine, theirs, used('R-high'), used('L-high'), { kind: 'nominated', owner: 'local', candidate: { cid: 'L-high' } }],
  ['only we found one → ours (rule 2)', 'responder', mine, theirs, used('R-mid'), error, { kind: 'nominated', owner: 'remote', candidate: { cid: 'R-mid' } }],
  ['only the peer found one → theirs (rule 2)', 'initiator', mine, theirs, error, used('L-low'), { kind: 'nominated', owner: 'local', candidate: { cid: 'L-low' } }],
  ['neither → the initiator sends transport-replace (rule 1, §3 MUST)', 'initiator', mine, theirs, error, error, { kind: 'fallback', cause: 'both-candidate-error', next: 'send-transport-replace' }],
  ['neither → the responder awaits the initiator\'s transport-replace (rule 1, §3)', 'responder', mine, theirs, error, error, { kind: 'fallback', cause: 'both-candidate-error', next: 'await-transport-replace' }],
  ['our own proxy nominated → we activate it and send activated (§2.4 MUST)', 'initiator', mine, theirs, error, used('L-proxy'), { kind: 'nominated', owner: 'local', proxy: 'activate' }],
  ['the peer\'s proxy nominated → we wait for its activated (§2.4)', 'initiator', mine, theirs, used('R-proxy'), error, { kind: 'nominated', owner: 'remote', proxy: 'await-activated' }],
  ['a candidate-used naming a cid never offered → fallback', 'initiator', mine, theirs, error, used('nope'), { kind: 'fallback', cause: 'unknown-cid', next: 'send-transport-replace' }],
  ['nothing reported yet → pending both', 'initiator', mine, theirs, null, null, { kind: 'pending', waitingFor: 'both' }],
  ['the peer has not reported → pending remote, even with our candidate-used', 'responder', mine, theirs, used('R-high'), null, { kind: 'pending', waitingFor: 'remote' }],
  ['we have not reported → pending local', 'responder', mine, theirs, null, error, { kind: 'pending', waitingFor: 'local' }],
];

describe('nomination (XEP-0260 §2.4)', () => {
  it.each(NOMINATION)('%s', (_title, role, local, remote, localReport, remoteReport, expected) => {
    expect(nominate({ role, local, remote, localReport, remoteReport })).toMatchObject(expected);
  });

  it('nominates the same candidate on both sides, with complementary proxy duties, or falls back on both (§2.4)', () => {
    const types = fc.constantFrom<CandidateType>('direct', 'assisted', 'tunnel', 'proxy');
    const list = (prefix: string) => fc.array(fc.tuple(types, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 4 })
      .map((items) => items.map(([type, pref], index) => candidate(`${prefix}${index}`, candidatePriority(type, pref), type)));
    const report = (offered: S5bCandidate[]) => fc.oneof(fc.constant(error), fc.constantFrom(...offered).map((c) => used(c.cid)));
    const scenario = fc.tuple(list('i'), list('r')).chain(([initiatorList, responderList]) => fc.tuple(
      fc.constant(initiatorList), fc.constant(responderList), report(responderList), report(initiatorList),
    ));
    fc.assert(fc.property(scenario, ([initiatorList, responderList, initiatorReport, responderReport]) => {
      const atInitiator = nominate({ role: 'initiator', local: initiatorList, remote: responderList, localReport: initiatorReport, remoteReport: responderReport });
      const atResponder = nominate({ role: 'responder', local: responderList, remote: initiatorList, localReport: responderReport, remoteReport: initiatorReport });
      expect(atInitiator.kind).toBe(atResponder.kind);
      if (atInitiator.kind === 'nominated' && atResponder.kind === 'nominated') {
        expect(atInitiator.candidate).toEqual(atResponder.candidate);
        expect(atInitiator.owner).not.toBe(atResponder.owner);
        expect([atInitiator.proxy, atResponder.proxy].sort()).toEqual(atInitiator.candidate.type === 'proxy' ? ['activate', 'await-activated'] : ['none', 'none']);
      }
      if (atInitiator.kind === 'fallback' && atResponder.kind === 'fallback') {
        expect([atInitiator.next, atResponder.next]).toEqual(['send-transport-replace', 'await-transport-replace']);
      }
    }));
  });
});

describe('after a candidate-used, proxy-error and fallback (XEP-0260 §2.3, §2.4, §3)', () => {
  const untried = [candidate('a', 8257636), candidate('b', 8257600), candidate('c', 655360, 'proxy')];

  it('keeps trying only candidates that could still win: the initiator at equal priority too, the responder above only (§2.3 SHOULD, §2.4 rule 4)', () => {
    expect(candidatesWorthTrying({ role: 'initiator', untried, peerUsedPriority: 8257600 }).map((c) => c.cid)).toEqual(['a', 'b']);
    expect(candidatesWorthTrying({ role: 'responder', untried, peerUsedPriority: 8257600 }).map((c) => c.cid)).toEqual(['a']);
    expect(candidatesWorthTrying({ role: 'responder', untried, peerUsedPriority: 8257636 })).toEqual([]);
  });

  it('treats a proxy-error, sent or received, as S5B failed: the initiator replaces the transport (§2.4 SHOULD fall back, §3 MUST)', () => {
    expect(afterProxyError('initiator')).toEqual({ kind: 'fallback', cause: 'proxy-error', next: 'send-transport-replace' });
    expect(afterProxyError('responder')).toEqual({ kind: 'fallback', cause: 'proxy-error', next: 'await-transport-replace' });
    expect(fallbackStep('initiator')).toBe('send-transport-replace');
  });
});
