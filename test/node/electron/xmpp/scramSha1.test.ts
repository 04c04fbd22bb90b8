import { describe, expect, it } from 'vitest';
// The package @xmpp/client registers by default, as an oracle: the same nonce must give the same proof.
import LibraryScram from 'sasl-scram-sha-1';
import { MAX_ITERATIONS, ScramSha1, useNativeScramSha1 } from '../../../../electron/xmpp/scramSha1';

const CLIENT_NONCE = 'fyko+d2lbbFgONRv9qkxdawL';
const SERVER_FIRST = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';

async function exchange(mech: ScramSha1, serverFirst: string, credentials = { username: 'user', password: 'pencil' }) {
  const first = await mech.response(credentials);
  mech.challenge(serverFirst);
  return { first, final: await mech.response(credentials) };
}

describe('ScramSha1 (RFC 5802)', () => {
  it('produces the client messages and the server signature of the example in RFC 5802 §5', async () => {
    const mech = new ScramSha1(CLIENT_NONCE);
    const { first, final } = await exchange(mech, SERVER_FIRST);
    expect(first).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    expect(final).toBe('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
    expect(mech.isServerFinalValid('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')).toBe(true);
    expect(mech.isServerFinalValid('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
  });

  it('gives the same proof as the sasl-scram-sha-1 package for a non-ASCII password and an escaped name', async () => {
    const nonce = 'abcdefghijklmnop';
    const serverFirst = `r=${nonce}SERVERPART,s=${Buffer.from('salty salt').toString('base64')},i=1000`;
    const credentials = { username: 'ann,=x', password: 'pässwörd ☃' };
    const ours = await exchange(new ScramSha1(nonce), serverFirst, credentials);
    const library = new LibraryScram({ genNonce: () => nonce });
    const libraryFirst = await library.response(credentials);
    library.challenge(serverFirst);
    expect(ours.first).toBe(libraryFirst);
    expect(ours.first).toContain('n=ann=2C=3Dx');
    expect(ours.final).toBe(await library.response(credentials));
  });

  it('derives with 10,000 iterations, Prosody\'s default', async () => {
    const serverFirst = `r=${CLIENT_NONCE}x,s=QSXCR+Q6sek8bf92,i=10000`;
    await expect(exchange(new ScramSha1(CLIENT_NONCE), serverFirst)).resolves.toMatchObject({ final: expect.stringMatching(/,p=/) });
  });

  it.each([
    ['a nonce that does not extend the client\'s', 'r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096', /nonce/],
    ['the client nonce returned unextended', `r=${CLIENT_NONCE},s=QSXCR+Q6sek8bf92,i=4096`, /nonce/],
    ['no salt', `r=${CLIENT_NONCE}x,i=4096`, /salt/],
    ['an iteration count above the bound', `r=${CLIENT_NONCE}x,s=QSXCR+Q6sek8bf92,i=${MAX_ITERATIONS + 1}`, /iterations/],
    ['an iteration count of zero', `r=${CLIENT_NONCE}x,s=QSXCR+Q6sek8bf92,i=0`, /iterations/],
    ['no iteration count', `r=${CLIENT_NONCE}x,s=QSXCR+Q6sek8bf92`, /iterations/],
    ['a mandatory extension (m=, §5.1)', `m=ext,r=${CLIENT_NONCE}x,s=QSXCR+Q6sek8bf92,i=4096`, /extension/],
  ])('refuses a server-first message with %s', async (_what, serverFirst, reason) => {
    await expect(exchange(new ScramSha1(CLIENT_NONCE), serverFirst)).rejects.toThrow(reason);
  });

  it('takes the place of the SCRAM-SHA-1 entry in @xmpp/client\'s factory, keeping the order', () => {
    const plain = { name: 'PLAIN', mech: class {} };
    const factory = { _mechs: [{ name: 'SCRAM-SHA-1', mech: LibraryScram }, plain] };
    useNativeScramSha1(factory);
    expect(factory._mechs.map((m) => m.name)).toEqual(['SCRAM-SHA-1', 'PLAIN']);
    expect(factory._mechs[0].mech).toBe(ScramSha1);
    expect(() => useNativeScramSha1({})).toThrow(/changed/);
  });
});
