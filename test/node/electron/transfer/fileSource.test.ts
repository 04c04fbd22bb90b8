import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLending } from '../../../../electron/transport/byteStream';
import { SharedFileSource, SOURCE_SLOT_BYTES, SOURCE_SLOTS } from '../../../../electron/transfer/fileSource';
import { delay, MIB, randomPayload, sha256 } from '../../../support/transportHelpers';

let dir = '';
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ferry-source-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

async function fileWith(bytes: Buffer): Promise<string> {
  const path = join(dir, 'file.bin');
  await writeFile(path, bytes);
  return path;
}

/** Reads the whole source like a transport: copies each chunk, gives it back after `holdMs`. */
async function drain(source: SharedFileSource, holdMs = 0): Promise<Buffer> {
  const copies: Buffer[] = [];
  for await (const chunk of source) {
    copies.push(Buffer.from(chunk as Buffer));
    if (holdMs > 0) setTimeout(() => source.release(chunk as Buffer), holdMs);
    else source.release(chunk as Buffer);
  }
  return Buffer.concat(copies);
}

describe('SharedFileSource', () => {
  it('reads a range of the file in shared chunks and hashes exactly those bytes (XEP-0096 §2 range)', async () => {
    const bytes = randomPayload(10 * MIB + 123);
    const path = await fileWith(bytes);
    const source = new SharedFileSource(path, { start: 777, length: 9 * MIB });
    expect(isLending(source)).toBe(true);
    const read = await drain(source, 2);
    expect(read.equals(bytes.subarray(777, 777 + 9 * MIB))).toBe(true);
    expect(await source.digest()).toBe(sha256(bytes.subarray(777, 777 + 9 * MIB)));
  }, 20_000);

  it('lends at most its slots: without releases it stops, and goes on once chunks come back', async () => {
    const bytes = randomPayload((SOURCE_SLOTS + 4) * SOURCE_SLOT_BYTES);
    const source = new SharedFileSource(await fileWith(bytes), { start: 0, length: bytes.length });
    const lent: Buffer[] = [];
    const copies: Buffer[] = [];
    source.on('data', (chunk: Buffer) => { lent.push(chunk); copies.push(Buffer.from(chunk)); });
    const ended = new Promise<void>((resolve) => source.once('end', () => resolve()));
    await delay(300);
    expect(lent.length).toBe(SOURCE_SLOTS);
    for (let i = 0; i < 200 && lent.length < SOURCE_SLOTS + 4; i += 1) {
      for (const chunk of lent.splice(0)) source.release(chunk);
      await delay(5);
    }
    for (const chunk of lent.splice(0)) source.release(chunk);
    await ended;
    expect(Buffer.concat(copies).equals(bytes)).toBe(true);
    expect(await source.digest()).toBe(sha256(bytes));
  }, 20_000);

  it('ends at once for an empty range, with the hash of nothing', async () => {
    const source = new SharedFileSource(await fileWith(randomPayload(10)), { start: 10, length: 0 });
    expect((await drain(source)).length).toBe(0);
    expect(await source.digest()).toBe(createHash('sha256').digest('hex'));
  });

  it('fails clearly when the file is shorter than what is being sent', async () => {
    const source = new SharedFileSource(await fileWith(randomPayload(1000)), { start: 0, length: 5000 });
    await expect(drain(source)).rejects.toThrow(/got shorter while it was being sent/);
  });

  it('fails clearly when the file cannot be opened', async () => {
    const source = new SharedFileSource(join(dir, 'missing.bin'), { start: 0, length: 10 });
    await expect(drain(source)).rejects.toThrow(/ENOENT/);
  });
});
