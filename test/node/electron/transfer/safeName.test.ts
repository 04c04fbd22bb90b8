import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_FILE_NAME_BYTES, isWindowsReserved, numberedFileName, sanitizeFileName, utf8Length,
} from '../../../../electron/transfer/safeName';

const BAD_CHARS_RE = /[/\\\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069<>:"|?*]/u;

describe('sanitizeFileName (DESIGN.md "Where files go")', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\win.ini', 'win.ini'],
    ['C:\\Users\\me\\a.txt', 'a.txt'],
    ['/absolute/path/', 'file'],
    ['dir/', 'file'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['.bashrc', 'bashrc'],
    ['...hidden.txt', 'hidden.txt'],
    ['  spaced  ', 'spaced'],
    ['trailing.dots...', 'trailing.dots'],
    ['name. . .', 'name'],
    ['a\u0000b\u001fc\u007fd\u0085e.txt', 'abcde.txt'],
    ['line\nbreak.txt', 'linebreak.txt'],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['\u2066isolated\u2069\u200E\u200F\u061C.txt', 'isolated.txt'],
    ['what?<is>"this"|*:.txt', 'what__is__this____.txt'],
    ['CON', '_CON'],
    ['CON.txt', '_CON.txt'],
    ['con.tar.gz', '_con.tar.gz'],
    ['nul', '_nul'],
    ['Aux .txt', '_Aux .txt'],
    ['COM1.log', '_COM1.log'],
    ['LPT9', '_LPT9'],
    ['COM\u00B9', '_COM\u00B9'],
    ['COM0.txt', 'COM0.txt'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['ok/CON', '_CON'],
    ['\uD800lone.txt', '_lone.txt'],
    ['emoji 👍🏽 ok.png', 'emoji 👍🏽 ok.png'],
    ['日本語のファイル.txt', '日本語のファイル.txt'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps the length at 200 UTF-8 bytes and keeps the extension', () => {
    const long = `${'a'.repeat(300)}.jpeg`;
    const safe = sanitizeFileName(long);
    expect(utf8Length(safe)).toBe(MAX_FILE_NAME_BYTES);
    expect(safe.endsWith('.jpeg')).toBe(true);
  });

  it('cuts multi-byte names between code points', () => {
    const safe = sanitizeFileName(`${'é'.repeat(150)}.txt`);
    expect(utf8Length(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(safe).toBe(`${'é'.repeat(98)}.txt`);
    const emoji = sanitizeFileName('👍'.repeat(100));
    expect(utf8Length(emoji)).toBe(200);
    expect(emoji).toBe('👍'.repeat(50));
  });

  it('drops an over-long extension rather than the whole stem', () => {
    const safe = sanitizeFileName(`name.${'x'.repeat(300)}`);
    expect(utf8Length(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(safe.startsWith('name.xxx')).toBe(true);
  });

  it('re-trims what the cut leaves at the end', () => {
    expect(sanitizeFileName(`CON${' '.repeat(250)}x`)).toBe('_CON');
  });

  const names = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: fc.constantFrom('a', '.', ' ', '/', '\\', '\u202E', '\u0000', 'é', '👍', 'C', 'O', 'N', ':', '\uD800', '1'), maxLength: 260 }),
    fc.tuple(fc.constantFrom('CON', 'prn', 'Aux', 'NUL', 'COM1', 'lpt9', 'CONIN$'), fc.string({ maxLength: 8 })).map(([a, b]) => a + b),
  );

  it('never returns a path separator, control or bidi character, a reserved name, or more than 200 bytes', () => {
    fc.assert(fc.property(names, (input) => {
      const safe = sanitizeFileName(input);
      expect(safe).not.toMatch(BAD_CHARS_RE);
      expect(isWindowsReserved(safe)).toBe(false);
      expect(utf8Length(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
      expect(safe).not.toMatch(/^[.\s]|[.\s]$/);
      expect(safe.length).toBeGreaterThan(0);
    }), { numRuns: 5000 });
  });

  it('is stable: sanitize(sanitize(x)) === sanitize(x)', () => {
    fc.assert(fc.property(names, (input) => {
      const once = sanitizeFileName(input);
      expect(sanitizeFileName(once)).toBe(once);
    }), { numRuns: 5000 });
  });
});

describe('numberedFileName', () => {
  it('puts " (n)" before the extension', () => {
    expect(numberedFileName('photo.jpg', 0)).toBe('photo.jpg');
    expect(numberedFileName('photo.jpg', 2)).toBe('photo (2).jpg');
    expect(numberedFileName('README', 1)).toBe('README (1)');
  });

  it('stays a safe name within 200 bytes', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 999 }), (input, n) => {
      const numbered = numberedFileName(sanitizeFileName(input), n);
      expect(utf8Length(numbered)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
      expect(sanitizeFileName(numbered)).toBe(numbered);
    }));
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes like an encoder, without one (shared/ has no TextEncoder)', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a\uD800b', 'naïve 日本語 😀.txt']) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});
