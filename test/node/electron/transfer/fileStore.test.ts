import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fsp from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  FileStoreError, createIncomingFile, md5OfFile, openOutgoingFile, type PublishFs,
} from '../../../../electron/transfer/fileStore';

// A file system without hard links (FAT, exFAT, some shares) or with a stubborn .part, through the
// store's publishing seam: such a volume cannot be mounted where the tests run.
function publishFsWith(overrides: Partial<PublishFs>): PublishFs {
  return { link: fsp.link, unlink: fsp.unlink, open: fsp.open, rename: fsp.rename, ...overrides };
}
const failing = (code: string) => async (): Promise<never> => {
  throw Object.assign(new Error(`simulated ${code}`), { code });
};

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-store-'));
  dir = join(root, 'downloads');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const hex = (algorithm: string, data: Uint8Array): string => createHash(algorithm).update(data).digest('hex');

async function receive(name: string, data: Uint8Array, md5 = false, publishFs?: PublishFs) {
  const sink = await createIncomingFile({ dir, name, expectedSize: data.length, md5, publishFs });
  await pipeline(Readable.from([data.subarray(0, 3), data.subarray(3)]), sink);
  return sink.commit();
}

describe('createIncomingFile', () => {
  it('streams into <name>.part, hashes as it goes, and renames on commit', async () => {
    const data = new TextEncoder().encode('hello, ferry');
    const sink = await createIncomingFile({ dir, name: 'hello.txt', expectedSize: data.length, md5: true });
    expect(sink.partPath).toBe(join(dir, 'hello.txt.part'));
    sink.write(data.subarray(0, 5));
    sink.write(data.subarray(5));
    const done = await sink.commit();
    expect(done).toEqual({
      path: join(dir, 'hello.txt'), name: 'hello.txt', size: data.length, sha256: hex('sha256', data), md5: hex('md5', data),
    });
    expect(await readFile(done.path)).toEqual(Buffer.from(data));
    expect(await readdir(dir)).toEqual(['hello.txt']);
  });

  it('accepts an empty chunk from the transport (a 0-byte write is not "no progress")', async () => {
    const done = await receive('three.bin', Uint8Array.of(1, 2, 3));
    expect(await readFile(done.path)).toEqual(Buffer.of(1, 2, 3));
  });

  it('leaves md5 null unless asked', async () => {
    expect((await receive('a.bin', new Uint8Array(10))).md5).toBeNull();
  });

  it('never overwrites: the second and third get "name (1).ext", "name (2).ext"', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'photo.jpg'), 'existing');
    const first = await receive('photo.jpg', Uint8Array.of(1, 2, 3, 4));
    const second = await receive('photo.jpg', Uint8Array.of(5, 6, 7, 8));
    expect([first.name, second.name]).toEqual(['photo (1).jpg', 'photo (2).jpg']);
    expect(await readFile(join(dir, 'photo.jpg'), 'utf8')).toBe('existing');
    expect((await readdir(dir)).sort()).toEqual(['photo (1).jpg', 'photo (2).jpg', 'photo.jpg']);
  });

  it.each(['EPERM', 'EISDIR', 'ENOTSUP', 'EXDEV', 'EACCES', 'EINVAL'])(
    'falls back to an exclusive reservation and rename when link() fails with %s, still without clobbering',
    async (code) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'fat.txt'), 'existing');
      const done = await receive('fat.txt', Uint8Array.of(9, 9, 9, 9), false, publishFsWith({ link: failing(code) }));
      expect(done.name).toBe('fat (1).txt');
      expect(await readFile(join(dir, 'fat.txt'), 'utf8')).toBe('existing');
      expect(await readFile(done.path)).toEqual(Buffer.of(9, 9, 9, 9));
      expect((await readdir(dir)).sort()).toEqual(['fat (1).txt', 'fat.txt']);
    },
  );

  it('keeps a verified file whose .part cannot be unlinked after a good link: the transfer is done', async () => {
    const unlink = vi.fn(failing('EBUSY'));
    const done = await receive('kept.bin', Uint8Array.of(1, 2, 3, 4), false, publishFsWith({ unlink }));
    expect(done.name).toBe('kept.bin');
    expect(await readFile(done.path)).toEqual(Buffer.of(1, 2, 3, 4));
    expect(unlink).toHaveBeenCalledWith(join(dir, 'kept.bin.part'));
  });

  it('marks the verified file as downloaded from the internet before it gets its final name', async () => {
    const seen: { path: string; finalExists: boolean }[] = [];
    const markFile = async (path: string) => {
      seen.push({ path, finalExists: await stat(join(dir, 'm.exe')).then(() => true, () => false) });
    };
    const sink = await createIncomingFile({ dir, name: 'm.exe', expectedSize: 2, markFile });
    sink.write(Uint8Array.of(1, 2));
    const done = await sink.commit();
    expect(seen).toEqual([{ path: join(dir, 'm.exe.part'), finalExists: false }]);
    expect(done.path).toBe(join(dir, 'm.exe'));
  });

  it('a failing mark does not fail the transfer', async () => {
    const markFile = async () => { throw new Error('no xattrs here'); };
    const sink = await createIncomingFile({ dir, name: 'n.bin', expectedSize: 1, markFile });
    sink.write(Uint8Array.of(1));
    expect((await sink.commit()).name).toBe('n.bin');
  });

  it('removes its own reservation when the fallback rename fails, and reports the error', async () => {
    const sink = await createIncomingFile({
      dir, name: 'r.txt', expectedSize: 1, publishFs: publishFsWith({ link: failing('EISDIR'), rename: failing('EIO') }),
    });
    sink.write(Uint8Array.of(7));
    await expect(sink.commit()).rejects.toMatchObject({ code: 'EIO' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives concurrent transfers of the same name distinct .part files and distinct final names', async () => {
    const sinks = await Promise.all([0, 1, 2, 3].map(() => createIncomingFile({ dir, name: 'same.txt', expectedSize: 1 })));
    expect(new Set(sinks.map((s) => s.partPath)).size).toBe(4);
    sinks.forEach((sink, i) => sink.write(Uint8Array.of(i)));
    const done = await Promise.all(sinks.map((sink) => sink.commit()));
    expect(new Set(done.map((d) => d.path)).size).toBe(4);
    for (const [i, d] of done.entries()) expect(await readFile(d.path)).toEqual(Buffer.of(i));
  });

  it('does not reuse an existing .part (exclusive create)', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'x.txt.part'), 'someone else');
    const sink = await createIncomingFile({ dir, name: 'x.txt', expectedSize: 0 });
    expect(sink.partPath).toBe(join(dir, 'x (1).txt.part'));
    await sink.abort();
    expect(await readFile(join(dir, 'x.txt.part'), 'utf8')).toBe('someone else');
  });

  it('removes the .part on abort, and abort is idempotent', async () => {
    const sink = await createIncomingFile({ dir, name: 'gone.txt', expectedSize: 100 });
    sink.write(new Uint8Array(10));
    await sink.abort();
    await sink.abort();
    expect(await readdir(dir)).toEqual([]);
    await expect(sink.commit()).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses to commit a short file and deletes it', async () => {
    const sink = await createIncomingFile({ dir, name: 'short.txt', expectedSize: 10 });
    sink.write(new Uint8Array(4));
    await expect(sink.commit()).rejects.toMatchObject({ code: 'size-mismatch' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to commit a file whose md5 differs from the expected one (XEP-0096 hash) and deletes it', async () => {
    const sink = await createIncomingFile({ dir, name: 'damaged.txt', expectedSize: 3, md5: true });
    sink.write(Buffer.from('abc'));
    await expect(sink.commit({ expectedMd5: '0'.repeat(32) })).rejects.toMatchObject({ code: 'hash-mismatch', message: expect.stringContaining('damaged') });
    expect(await readdir(dir)).toEqual([]);
  });

  it('commits when the md5 matches, whatever its case', async () => {
    const sink = await createIncomingFile({ dir, name: 'intact.txt', expectedSize: 3, md5: true });
    sink.write(Buffer.from('abc'));
    const done = await sink.commit({ expectedMd5: '900150983CD24FB0D6963F7D28E17F72' });
    expect(done.md5).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(await readdir(dir)).toEqual(['intact.txt']);
  });

  it('fails the stream when a peer sends more than announced', async () => {
    const sink = await createIncomingFile({ dir, name: 'long.txt', expectedSize: 4 });
    await expect(pipeline(Readable.from([new Uint8Array(3), new Uint8Array(3)]), sink)).rejects.toBeInstanceOf(FileStoreError);
    await expect(sink.commit()).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['/etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['CON.txt', '_CON.txt'],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['..', 'file'],
    ['.hidden', 'hidden'],
  ])('keeps the malicious name %j inside the folder as %j', async (name, expected) => {
    const done = await receive(name, Uint8Array.of(1, 2, 3, 4));
    expect(dirname(done.path)).toBe(dir);
    expect(done.name).toBe(expected);
    expect(await readdir(dir)).toEqual([expected]);
    expect(await readdir(root)).toEqual(['downloads']);
  });

  it('streams 64 MiB without holding it in memory, and the hashes match node:crypto', async () => {
    const CHUNK_BYTES = 256 * 1024;
    const TOTAL_BYTES = 64 * 1024 * 1024;
    const sink = await createIncomingFile({ dir, name: 'big.bin', expectedSize: TOTAL_BYTES, md5: true });
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    const chunk = Buffer.alloc(CHUNK_BYTES);
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    for (let offset = 0; offset < TOTAL_BYTES; offset += CHUNK_BYTES) {
      chunk.fill(offset / CHUNK_BYTES);
      chunk.writeUInt32BE(offset, 0);
      sha.update(chunk);
      md5.update(chunk);
      // The same buffer is reused: wait until the sink has written it, as a socket reader would.
      await new Promise<void>((resolve, reject) => sink.write(chunk, (error) => (error ? reject(error) : resolve())));
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }
    const done = await sink.commit();
    expect(done.sha256).toBe(sha.digest('hex'));
    expect(done.md5).toBe(md5.digest('hex'));
    expect((await stat(done.path)).size).toBe(TOTAL_BYTES);
    expect(peak - baseline).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);
});

describe('openOutgoingFile and md5OfFile', () => {
  it('reads size, mtime and a media type guessed from the extension', async () => {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'Holiday.JPG');
    await writeFile(path, 'abc');
    const file = await openOutgoingFile(path);
    expect(file).toMatchObject({ path, name: 'Holiday.JPG', size: 3, mediaType: 'image/jpeg' });
    expect(file.mtime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await writeFile(join(dir, 'x.unknownext'), '');
    expect((await openOutgoingFile(join(dir, 'x.unknownext'))).mediaType).toBe('application/octet-stream');
  });

  it('refuses a directory', async () => {
    await mkdir(dir, { recursive: true });
    await expect(openOutgoingFile(dir)).rejects.toMatchObject({ code: 'not-a-file' });
  });

  it('computes the md5 of the XEP-0096 hash attribute by streaming', async () => {
    await mkdir(dir, { recursive: true });
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    await writeFile(join(dir, 'f'), data);
    expect(await md5OfFile(join(dir, 'f'))).toBe(hex('md5', data));
  });
});
