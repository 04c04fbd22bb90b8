import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { DiscoInfo } from '../../../../../electron/xmpp/xep/xep0030Disco';
import { buildCaps, capsVer, isVerifiedCaps, NS_CAPS, parseCaps, verificationString } from '../../../../../electron/xmpp/xep/xep0115Caps';

const DISCO = 'http://jabber.org/protocol/disco';

// XEP-0115 §5.2 "Simple Generation Example" (Exodus 0.9.1).
const SIMPLE: DiscoInfo = {
  identities: [{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }],
  features: [`${DISCO}#items`, 'http://jabber.org/protocol/muc', `${DISCO}#info`, 'http://jabber.org/protocol/caps'],
  forms: [],
};

// XEP-0115 §5.3 "Complex Generation Example" (Psi 0.11, two identities, a software-info form).
const COMPLEX: DiscoInfo = {
  identities: [
    { category: 'client', type: 'pc', name: 'Psi 0.11', lang: 'en' },
    { category: 'client', type: 'pc', name: 'Ψ 0.11', lang: 'el' },
  ],
  features: ['http://jabber.org/protocol/caps', `${DISCO}#info`, `${DISCO}#items`, 'http://jabber.org/protocol/muc'],
  forms: [{
    type: 'result', formType: 'urn:xmpp:dataforms:softwareinfo',
    fields: [
      { var: 'FORM_TYPE', type: 'hidden', values: ['urn:xmpp:dataforms:softwareinfo'] },
      { var: 'ip_version', type: '', values: ['ipv6', 'ipv4'] },
      { var: 'os', type: '', values: ['Mac'] },
      { var: 'os_version', type: '', values: ['10.5.1'] },
      { var: 'software', type: '', values: ['Psi'] },
      { var: 'software_version', type: '', values: ['0.11'] },
    ],
  }],
};

describe('XEP-0115 §5.1 verification string and ver', () => {
  it.each([
    {
      name: '§5.2 simple example', info: SIMPLE, ver: 'QgayPKawpkPSDYmwT/WM94uAlu0=',
      s: `client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<${DISCO}#info<${DISCO}#items<http://jabber.org/protocol/muc<`,
    },
    {
      name: '§5.3 complex example', info: COMPLEX, ver: 'q07IKJEyjvHSyhy//CH0CxmKi8w=',
      s: `client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<http://jabber.org/protocol/caps<${DISCO}#info<${DISCO}#items<`
        + 'http://jabber.org/protocol/muc<urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<'
        + 'software<Psi<software_version<0.11<',
    },
  ])('$name', ({ info, s, ver }) => {
    expect(verificationString(info)).toBe(s);
    expect(capsVer(info)).toBe(ver);
  });

  it('sorts by UTF-8 octets (i;octet), not UTF-16 code units', () => {
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 (FF5E > D83D).
    expect(verificationString({ identities: [], features: ['\u{1F600}', '\uFF5E'], forms: [] })).toBe('\uFF5E<\u{1F600}<');
  });
});

const DUP_FEATURE: DiscoInfo = { ...SIMPLE, features: [...SIMPLE.features, 'http://jabber.org/protocol/muc'] };
const DUP_IDENTITY: DiscoInfo = { ...SIMPLE, identities: [...SIMPLE.identities, ...SIMPLE.identities] };

describe('XEP-0115 §5.4 verification before caching', () => {
  const caps = { hash: 'sha-1', node: 'http://code.google.com/p/exodus', ver: 'QgayPKawpkPSDYmwT/WM94uAlu0=' };

  it('accepts the matching info', () => {
    expect(isVerifiedCaps(SIMPLE, caps)).toBe(true);
  });

  it.each([
    ['a different ver', SIMPLE, { ...caps, ver: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
    ['a hash other than sha-1', SIMPLE, { ...caps, hash: 'md5' }],
    // The claimed ver is the hash of the very info sent (duplicates included), so only the §5.4 duplicate rule rejects it.
    ['a duplicate feature', DUP_FEATURE, { ...caps, ver: capsVer(DUP_FEATURE) }],
    ['a duplicate identity', DUP_IDENTITY, { ...caps, ver: capsVer(DUP_IDENTITY) }],
    ['two forms with one FORM_TYPE', { ...COMPLEX, forms: [...COMPLEX.forms, ...COMPLEX.forms] }, { ...caps, ver: 'q07IKJEyjvHSyhy//CH0CxmKi8w=' }],
  ])('rejects %s', (_name, info, claimed) => {
    expect(isVerifiedCaps(info, claimed)).toBe(false);
  });

  it('ignores a form whose FORM_TYPE is not hidden and still verifies the rest', () => {
    const notHidden = { ...COMPLEX.forms[0], fields: COMPLEX.forms[0].fields.map((f) => (f.var === 'FORM_TYPE' ? { ...f, type: 'text-single' } : f)) };
    const info = { ...COMPLEX, forms: [notHidden] };
    expect(isVerifiedCaps(info, { ...caps, ver: capsVer({ ...COMPLEX, forms: [] }) })).toBe(true);
  });
});

describe('XEP-0115 §4 <c/> element', () => {
  it('builds and parses the presence child', () => {
    const presence = xml('presence', {}, buildCaps(caps()));
    expect(presence.getChild('c', NS_CAPS)?.attrs).toEqual({ xmlns: NS_CAPS, ...caps() });
    expect(parseCaps(presence)).toEqual(caps());
  });

  it('returns null without node or ver, and hash "" for legacy caps (§8.3)', () => {
    expect(parseCaps(xml('presence', {}, xml('c', { xmlns: NS_CAPS, ver: 'x' })))).toBeNull();
    expect(parseCaps(xml('presence', {}, xml('c', { xmlns: NS_CAPS, node: 'n', ver: '1.0' })))).toEqual({ hash: '', node: 'n', ver: '1.0' });
  });

  function caps() {
    return { hash: 'sha-1', node: 'https://ferry.invalid/caps', ver: 'QgayPKawpkPSDYmwT/WM94uAlu0=' };
  }
});
