import { describe, expect, it } from 'vitest';
import { ExpectedOffers, type ExpectedFile } from '../../../../electron/transfer/expectedOffers';

const FILE: ExpectedFile = { from: 'alice@localhost', name: 'x.bin', size: 1000, sha256: 'a'.repeat(64), md5: null, dir: '/downloads' };
const offer = { from: 'alice@localhost/ferry', name: 'x.bin', size: 1000, sha256: 'A'.repeat(64), md5: 'c'.repeat(32) };

describe('offers the user asked for (Resume, XEP-0234 §6.2)', () => {
  it('the next matching offer from the same bare JID is claimed once, into the kept part\'s folder', async () => {
    const offers = new ExpectedOffers();
    const { claimed } = offers.expect(FILE);
    expect(offers.claim(offer, 'new-1')).toEqual({ dir: '/downloads' });
    await expect(claimed).resolves.toBe('new-1');
    expect(offers.claim(offer, 'new-2')).toBeNull();
  });

  it('another sender, another file, a different hash, a disposed or expired wait: not claimed', () => {
    const offers = new ExpectedOffers();
    offers.expect(FILE);
    expect(offers.claim({ ...offer, from: 'mallory@localhost/x' }, 'a')).toBeNull();
    expect(offers.claim({ ...offer, name: 'y.bin' }, 'b')).toBeNull();
    expect(offers.claim({ ...offer, size: 999 }, 'c')).toBeNull();
    expect(offers.claim({ ...offer, sha256: 'b'.repeat(64) }, 'd')).toBeNull();
    const disposed = new ExpectedOffers();
    disposed.expect(FILE).dispose();
    expect(disposed.claim(offer, 'e')).toBeNull();
    const expired = new ExpectedOffers();
    expired.expect(FILE, -1);
    expect(expired.claim(offer, 'f')).toBeNull();
  });
});
