import { describe, expect, it } from 'vitest';
import { splitLinks } from '../../../../renderer/features/chat/messageLinks';

describe('splitLinks (clickable links in messages)', () => {
  it('cuts a body into text and http(s) links, keeping every character', () => {
    const body = 'see https://example.org/a?b=1, and http://127.0.0.1:8080/x.';
    const parts = splitLinks(body);
    expect(parts).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', url: 'https://example.org/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'http://127.0.0.1:8080/x', url: 'http://127.0.0.1:8080/x' },
      { kind: 'text', text: '.' },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(body);
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'ftp://x.org/', 'https://user:pw@example.org/', 'no links here'])('%s stays plain text', (body) => {
    expect(splitLinks(body).every((p) => p.kind === 'text')).toBe(true);
    expect(splitLinks(body).map((p) => p.text).join('')).toBe(body);
  });
});
