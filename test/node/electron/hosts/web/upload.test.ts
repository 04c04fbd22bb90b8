import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../../../../../electron/hosts/web/upload';
import { isTokenValid, newToken } from '../../../../../electron/hosts/web/token';

describe('sanitizeFileName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\a\\doc.txt', 'doc.txt'],
    ['evil\u202etxt.exe', 'eviltxt.exe'],
    ['tab\there\u0000.txt', 'tabhere.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['CON', '_CON'],
    ['lpt1.txt', '_lpt1.txt'],
    ['trailing. . .', 'trailing'],
    ['.hidden', '_hidden'],
    ['', 'file'],
    ['...', 'file'],
    ['/', 'file'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('caps long names and keeps a short extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(500)}.tar.gz`);
    expect(name.length).toBe(200);
    expect(name.endsWith('.gz')).toBe(true);
  });
});

describe('web host token', () => {
  it('is fresh every time and compared exactly', () => {
    const token = newToken();
    expect(newToken()).not.toBe(token);
    expect(isTokenValid(token, token)).toBe(true);
    expect(isTokenValid(token, token.slice(1))).toBe(false);
    expect(isTokenValid(token, null)).toBe(false);
    expect(isTokenValid(token, '')).toBe(false);
  });
});
