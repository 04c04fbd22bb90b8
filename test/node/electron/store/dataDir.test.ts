import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../../electron/store/dataDir';

describe('defaultDataDir', () => {
  it('uses $XDG_DATA_HOME/ferry, else ~/.local/share/ferry on Linux', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data', HOME: '/home/u' }, 'linux')).toBe('/x/data/ferry');
    expect(defaultDataDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.local/share/ferry');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative', HOME: '/home/u' }, 'linux')).toBe('/home/u/.local/share/ferry');
  });

  it('uses the platform folders on macOS and Windows', () => {
    expect(defaultDataDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/Ferry');
    expect(defaultDataDir({ APPDATA: '/c/Users/u/AppData/Roaming' }, 'win32')).toMatch(/Roaming[\\/]Ferry$/);
  });

  it('is null when the environment names no home', () => {
    expect(defaultDataDir({}, 'linux')).toBeNull();
    expect(defaultDataDir({}, 'win32')).toBeNull();
  });
});
