import { describe, expect, it, vi } from 'vitest';
import { markDownloaded, quarantineValue, ZONE_IDENTIFIER } from '../../../../electron/transfer/quarantine';

function fakes(platform: NodeJS.Platform) {
  return {
    platform,
    writeFile: vi.fn(async () => undefined),
    run: vi.fn(async () => undefined),
    now: () => 0x5991b778,
    newId: () => 'BC4DFC58-0D26-460D-9688-81D119298642',
  };
}

describe('markDownloaded (the OS mark of a file from the internet)', () => {
  it('Windows: writes the Zone.Identifier alternate data stream with ZoneId=3 (Internet zone)', async () => {
    const deps = fakes('win32');
    expect(await markDownloaded('C:\\Users\\a\\Downloads\\x.exe.part', deps)).toBe(true);
    expect(deps.writeFile).toHaveBeenCalledWith('C:\\Users\\a\\Downloads\\x.exe.part:Zone.Identifier', '[ZoneTransfer]\r\nZoneId=3\r\n');
    expect(ZONE_IDENTIFIER).toContain('ZoneId=3');
    expect(deps.run).not.toHaveBeenCalled();
  });

  it('macOS: sets com.apple.quarantine with the xattr tool (flags;hex time;agent;UUID), no shell', async () => {
    const deps = fakes('darwin');
    expect(await markDownloaded('/Users/a/Downloads/x.app.part', deps)).toBe(true);
    expect(deps.run).toHaveBeenCalledWith('xattr', [
      '-w', 'com.apple.quarantine', '0083;5991b778;Ferry;BC4DFC58-0D26-460D-9688-81D119298642', '/Users/a/Downloads/x.app.part',
    ]);
    expect(quarantineValue(16, 'U')).toBe('0083;10;Ferry;U');
    expect(deps.writeFile).not.toHaveBeenCalled();
  });

  it('Linux and other systems have no such mark: nothing is written', async () => {
    for (const platform of ['linux', 'freebsd'] as const) {
      const deps = fakes(platform);
      expect(await markDownloaded('/home/a/x', deps)).toBe(false);
      expect(deps.writeFile).not.toHaveBeenCalled();
      expect(deps.run).not.toHaveBeenCalled();
    }
  });

  it('a file system without streams or xattrs (FAT) is not an error: the mark is skipped', async () => {
    const win = { ...fakes('win32'), writeFile: vi.fn(async () => { throw Object.assign(new Error('no ADS'), { code: 'ENOENT' }); }) };
    expect(await markDownloaded('E:\\x.part', win)).toBe(false);
    const mac = { ...fakes('darwin'), run: vi.fn(async () => { throw new Error('xattr: [Errno 45] Operation not supported'); }) };
    expect(await markDownloaded('/Volumes/USB/x.part', mac)).toBe(false);
  });

  it('really runs here with the host platform, which has no mark on Linux', async () => {
    expect(await markDownloaded('/nonexistent/ferry-quarantine-test', { platform: 'linux' })).toBe(false);
  });
});
