import { describe, expect, it } from 'vitest';
import { AccountCapsStore } from '../../../../electron/app/accountCapsStore';
import type { CapsStore, CapsStores } from '../../../../electron/store/capsStore';
import type { FullJid } from '../../../../shared/model/jid';
import type { SessionSnapshot } from '../../../../shared/model/session';

/** A session stand-in that only goes online as `jid` when told (the store opener reads nothing else). */
function session() {
  const listeners: ((snapshot: SessionSnapshot) => void)[] = [];
  const fake = {
    jid: null as FullJid | null,
    onStateChanged: (listener: (snapshot: SessionSnapshot) => void) => { listeners.push(listener); return () => { listeners.length = 0; }; },
    online(jid: string) {
      fake.jid = jid as FullJid;
      for (const l of listeners) l({ state: 'online', jid: fake.jid, error: null, retryInMs: null, isSecure: false } as SessionSnapshot);
    },
  };
  return fake;
}

function countingStores(fail = false) {
  const opened: string[] = [];
  let closed = 0;
  const stores: CapsStores = {
    open: async (account) => {
      opened.push(account);
      if (fail) throw new Error('no permission');
      return { get: () => null, put: () => {}, close: () => { closed += 1; } } satisfies CapsStore;
    },
  };
  return { stores, opened, closed: () => closed };
}

describe('AccountCapsStore (the caps cache of the logged-in account)', () => {
  it('opens the account\'s store at login, keeps it over a reconnect, and closes it at dispose', async () => {
    const s = session();
    const c = countingStores();
    const caps = new AccountCapsStore({ session: s, stores: c.stores, log: () => {} });
    expect(await caps.current()).toBeNull();
    s.online('alice@localhost/ferry');
    s.online('alice@localhost/ferry');
    expect(await caps.current()).not.toBeNull();
    expect(c.opened).toEqual(['alice@localhost']);
    s.online('carol@localhost/ferry'); // another account: the first store is closed
    await caps.current();
    expect(c.opened).toEqual(['alice@localhost', 'carol@localhost']);
    expect(c.closed()).toBe(1);
    caps.dispose();
    expect(await caps.current()).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(c.closed()).toBe(2);
  });

  it('a store that cannot be opened is logged and the cache stays in memory (current() is null)', async () => {
    const s = session();
    const lines: string[] = [];
    const caps = new AccountCapsStore({ session: s, stores: countingStores(true).stores, log: (line) => lines.push(line) });
    s.online('alice@localhost/ferry');
    expect(await caps.current()).toBeNull();
    expect(lines).toEqual(['the caps cache could not be opened (kept in memory only): no permission']);
  });

  it('without a data folder there is no store', async () => {
    const s = session();
    const caps = new AccountCapsStore({ session: s, log: () => {} });
    s.online('alice@localhost/ferry');
    expect(await caps.current()).toBeNull();
  });
});
