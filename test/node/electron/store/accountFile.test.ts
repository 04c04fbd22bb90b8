import { describe, expect, it } from 'vitest';
import { historyFileName } from '../../../../electron/store/accountFile';

describe('historyFileName', () => {
  it.each([
    ['alice@localhost', 'alice@localhost.sqlite'],
    ['Alice@Example.ORG', 'alice@example.org.sqlite'],
    ['a/b@x', 'a%2fb@x.sqlite'],
    ['..\\evil@x', '%2e.%5cevil@x.sqlite'],
    ['zoë@x', 'zo%c3%ab@x.sqlite'],
    ['a:b*c?"<>|@x', 'a%3ab%2ac%3f%22%3c%3e%7c@x.sqlite'],
  ])('%s → %s', (jid, name) => {
    expect(historyFileName(jid)).toBe(name);
  });

  it('cuts a long JID and keeps it distinct with a hash', () => {
    const a = historyFileName(`${'a'.repeat(300)}@x`);
    const b = historyFileName(`${'a'.repeat(301)}@x`);
    expect(a).toMatch(/^a{100}-[0-9a-f]{16}\.sqlite$/);
    expect(a).not.toBe(b);
  });
});
