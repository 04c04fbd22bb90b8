import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  claimResumablePart, feedPrefix, isSameFile, KEPT_PART_MAX_AGE_MS, parseSidecar, sidecarPathOf, writeSidecar, type PartIdentity,
} from '../../../../electron/transfer/resumablePart';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const MD5_A = 'c'.repeat(32);
const base: PartIdentity = { from: 'alice@localhost', name: 'big.bin', size: 1000, sha256: null, md5: null, date: null };

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ferry-resume-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('isSameFile (the matching rule)', () => {
  it.each<[string, Partial<PartIdentity>, Partial<PartIdentity>, boolean]>([
    ['equal sha-256', { sha256: SHA_A }, { sha256: SHA_A }, true],
    ['different sha-256, even with equal dates', { sha256: SHA_A, date: '2024-01-01T00:00:00Z' }, { sha256: SHA_B, date: '2024-01-01T00:00:00Z' }, false],
    ['equal md5 (XEP-0096 hash)', { md5: MD5_A }, { md5: MD5_A }, true],
    ['sha-256 on one side only: the dates decide', { sha256: SHA_A, date: '2024-01-01T00:00:00Z' }, { date: '2024-01-01T00:00:00Z' }, true],
    ['no comparable hash and different dates', { date: '2024-01-01T00:00:00Z' }, { date: '2024-01-02T00:00:00Z' }, false],
    ['no hash and no date: sender, name and size alone never match', {}, {}, false],
    ['a date on one side only', { date: '2024-01-01T00:00:00Z' }, {}, false],
    ['another sender', { sha256: SHA_A }, { sha256: SHA_A, from: 'mallory@localhost' }, false],
    ['another name', { sha256: SHA_A }, { sha256: SHA_A, name: 'other.bin' }, false],
    ['another size', { sha256: SHA_A }, { sha256: SHA_A, size: 1001 }, false],
  ])('%s', (_what, kept, offered, expected) => {
    expect(isSameFile({ ...base, ...kept }, { ...base, ...offered })).toBe(expected);
  });
});

describe('parseSidecar', () => {
  const good = { version: 1, ...base, sha256: SHA_A, bytes: 10 };
  it('reads a well-formed sidecar', () => {
    expect(parseSidecar(JSON.stringify(good))).toEqual(good);
  });
  it.each<[string, unknown]>([
    ['not JSON', '{'],
    ['another version', { ...good, version: 2 }],
    ['bytes past the size', { ...good, bytes: 1001 }],
    ['a negative size', { ...good, size: -1 }],
    ['a hash that is not lower-case hex', { ...good, sha256: 'A'.repeat(64) }],
    ['an md5 of the wrong length', { ...good, md5: 'c'.repeat(31) }],
    ['no sender', { ...good, from: '' }],
    ['a date that is not a string', { ...good, date: 5 }],
    ['an array', [good]],
  ])('refuses %s', (_what, value) => {
    expect(parseSidecar(typeof value === 'string' ? value : JSON.stringify(value))).toBeNull();
  });
});

describe('writeSidecar and claimResumablePart', () => {
  const offered: PartIdentity = { ...base, sha256: SHA_A };

  async function keep(name: string, bytes: number, identity: PartIdentity = offered): Promise<string> {
    const partPath = join(dir, name);
    await writeFile(partPath, randomBytes(bytes));
    await writeSidecar(partPath, identity, bytes);
    return partPath;
  }

  it('writes the sidecar next to the .part, leaving no temporary file behind', async () => {
    const partPath = await keep('big.bin.part', 10);
    expect((await readdir(dir)).sort()).toEqual(['big.bin.part', 'big.bin.part.ferry.json']);
    expect(parseSidecar(await readFile(sidecarPathOf(partPath), 'utf8'))).toEqual({ version: 1, ...offered, bytes: 10 });
  });

  it('an open sidecar (written as receiving began) is resumed at the size on disk once its process is gone, and skipped while it runs', async () => {
    const partPath = join(dir, 'crash.bin.part');
    await writeFile(partPath, randomBytes(600));
    // Our own process: the file is in use (a second offer of the same file must not append to it).
    await writeSidecar(partPath, offered, 0, { pid: process.pid });
    expect(await claimResumablePart(dir, offered)).toBeNull();
    // A process that no longer exists (a crash): whatever the .part holds is resumed.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeSidecar(partPath, offered, 0, { pid: dead });
    expect(await claimResumablePart(dir, offered)).toEqual({ partPath, offset: 600 });
  });

  it('rewrites an existing sidecar whole (rename over it)', async () => {
    const partPath = await keep('big.bin.part', 10);
    await writeSidecar(partPath, offered, 20);
    expect(parseSidecar(await readFile(sidecarPathOf(partPath), 'utf8'))?.bytes).toBe(20);
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('claims a matching .part once: its sidecar goes, so a second offer cannot append to it too', async () => {
    const partPath = await keep('big (1).bin.part', 300);
    expect(await claimResumablePart(dir, offered)).toEqual({ partPath, offset: 300 });
    expect(await readdir(dir)).toEqual(['big (1).bin.part']);
    expect(await claimResumablePart(dir, offered)).toBeNull();
  });

  it('finds nothing for another file, and leaves its sidecar alone', async () => {
    await keep('big.bin.part', 300);
    expect(await claimResumablePart(dir, { ...offered, sha256: SHA_B })).toBeNull();
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('skips a .part whose length is not what its sidecar recorded (changed since)', async () => {
    const partPath = await keep('big.bin.part', 300);
    await writeFile(partPath, randomBytes(299));
    expect(await claimResumablePart(dir, offered)).toBeNull();
  });

  it('skips a sidecar whose .part is gone, is a symlink, or holds nothing or everything', async () => {
    await writeSidecar(join(dir, 'gone.bin.part'), offered, 10);
    await writeFile(join(dir, 'target'), randomBytes(10));
    await symlink(join(dir, 'target'), join(dir, 'link.bin.part'));
    await writeSidecar(join(dir, 'link.bin.part'), offered, 10);
    await keep('empty.bin.part', 0);
    await keep('whole.bin.part', 1000);
    expect(await claimResumablePart(dir, offered)).toBeNull();
  });

  it('ignores an oversized or malformed sidecar, and a directory named like one', async () => {
    await writeFile(join(dir, 'a.bin.part'), randomBytes(10));
    await writeFile(join(dir, 'a.bin.part.ferry.json'), JSON.stringify({ version: 1, ...offered, bytes: 10, pad: 'x'.repeat(9000) }));
    await writeFile(join(dir, 'b.bin.part'), randomBytes(10));
    await writeFile(join(dir, 'b.bin.part.ferry.json'), 'not json');
    await mkdir(join(dir, 'c.bin.part.ferry.json'));
    expect(await claimResumablePart(dir, offered)).toBeNull();
  });

  it('deletes a kept .part untouched for longer than KEPT_PART_MAX_AGE_MS, and keeps a younger one', async () => {
    const day = 24 * 60 * 60 * 1000;
    const old = await keep('old.bin.part', 300);
    const young = await keep('young.bin.part', 300, { ...offered, name: 'young.bin' });
    const age = (path: string, ms: number) => utimes(path, new Date(Date.now() - ms), new Date(Date.now() - ms));
    for (const path of [old, sidecarPathOf(old)]) await age(path, KEPT_PART_MAX_AGE_MS + day);
    for (const path of [young, sidecarPathOf(young)]) await age(path, KEPT_PART_MAX_AGE_MS - day);
    expect(await claimResumablePart(dir, offered)).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['young.bin.part', 'young.bin.part.ferry.json']);
    expect(await claimResumablePart(dir, { ...offered, name: 'young.bin' })).toEqual({ partPath: young, offset: 300 });
  });

  it('finds nothing in a folder that does not exist', async () => {
    expect(await claimResumablePart(join(dir, 'missing'), offered)).toBeNull();
  });
});

describe('feedPrefix', () => {
  it('feeds exactly the first length bytes, in bounded chunks of shared memory', async () => {
    const data = randomBytes(10_000);
    const path = join(dir, 'f.part');
    await writeFile(path, data);
    const hash = createHash('sha256');
    const sizes: number[] = [];
    let isShared = true;
    await feedPrefix(path, 9_000, async (chunk) => {
      sizes.push(chunk.length);
      isShared &&= chunk.buffer instanceof SharedArrayBuffer;
      hash.update(chunk);
    }, 4096);
    expect(sizes).toEqual([4096, 4096, 808]);
    expect(isShared).toBe(true);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data.subarray(0, 9_000)).digest('hex'));
  });

  it('fails when the file is shorter than it should be', async () => {
    const path = join(dir, 'short.part');
    await writeFile(path, randomBytes(100));
    await expect(feedPrefix(path, 200, async () => undefined)).rejects.toThrow(/ended after 100 of the 200 bytes/);
  });
});
