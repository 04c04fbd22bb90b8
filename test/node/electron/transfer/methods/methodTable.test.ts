import { describe, expect, it } from 'vitest';
import { chooseMethod, type PeerCandidate } from '../../../../../electron/transfer/methods/methodTable';
import type { TransferMethod } from '../../../../../electron/transfer/methods/types';

const NS_JINGLE_FT = 'urn:xmpp:jingle:apps:file-transfer:5';
const NS_SI_FT = 'http://jabber.org/protocol/si/profile/file-transfer';

/** Table entries shaped like the real ones: only name, priority and the feature test matter to the choice. */
function method(name: 'si' | 'jingle', priority: number, feature: string): TransferMethod {
  return {
    name, priority, features: [feature],
    canSend: (features) => features.has(feature),
    describe: () => `the peer advertises ${feature}`,
    send: () => { throw new Error('not used'); },
    register: () => () => undefined,
  };
}

const METHODS = [method('si', 10, NS_SI_FT), method('jingle', 20, NS_JINGLE_FT)];
const peer = (jid: string, ...features: string[]): PeerCandidate => ({ jid, features });
const auto = { choice: 'auto' as const, isExplicitResource: false };

describe('chooseMethod (method choice is data: Jingle FT :5 > SI)', () => {
  it.each([
    ['only SI', [NS_SI_FT], 'si'],
    ['only Jingle FT :5', [NS_JINGLE_FT], 'jingle'],
    ['both', [NS_SI_FT, NS_JINGLE_FT], 'jingle'],
  ])('a peer advertising %s gets %s', (_label, features, expected) => {
    const pick = chooseMethod(METHODS, [peer('bob@x/a', ...features)], auto);
    expect(pick.method.name).toBe(expected);
    expect(pick.target).toBe('bob@x/a');
    expect(pick.why).toContain(expected === 'jingle' ? NS_JINGLE_FT : NS_SI_FT);
  });

  it('for a bare JID picks the resource whose features allow the best method', () => {
    const pick = chooseMethod(METHODS, [peer('bob@x/pidgin', NS_SI_FT), peer('bob@x/dino', NS_JINGLE_FT), peer('bob@x/web')], auto);
    expect(pick).toMatchObject({ target: 'bob@x/dino', method: { name: 'jingle' } });
  });

  it('--method si forces SI even when Jingle is advertised too', () => {
    const pick = chooseMethod(METHODS, [peer('bob@x/a', NS_SI_FT, NS_JINGLE_FT)], { choice: 'si', isExplicitResource: true });
    expect(pick.method.name).toBe('si');
  });

  it('--method jingle on a bare JID with no Jingle resource fails, naming what is missing', () => {
    expect(() => chooseMethod(METHODS, [peer('bob@x/a', NS_SI_FT), peer('bob@x/b', NS_SI_FT)], { choice: 'jingle', isExplicitResource: false }))
      .toThrow('no online resource advertises jingle file transfer');
  });

  it('a resource named by full JID that advertises nothing still gets SI (older clients do not announce it)', () => {
    const pick = chooseMethod(METHODS, [peer('bob@x/old')], { choice: 'auto', isExplicitResource: true });
    expect(pick.method.name).toBe('si');
    expect(pick.why).toContain('anyway');
  });

  it('a bare JID whose resources advertise nothing fails rather than guessing', () => {
    expect(() => chooseMethod(METHODS, [peer('bob@x/old')], auto)).toThrow('bob@x/old does not advertise jingle or si file transfer');
  });

  it('a resource whose disco#info failed is tried with SI, and the log says why', () => {
    const pick = chooseMethod(METHODS, [{ jid: 'bob@x/a', features: null }], auto);
    expect(pick).toMatchObject({ method: { name: 'si' }, why: expect.stringContaining('did not answer disco#info') });
  });
});
