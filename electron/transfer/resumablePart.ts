/**
 * The `.part` of an interrupted incoming file, kept for a resume (XEP-0096 §3 ranged transfers, XEP-0234 §7
 * "Ranged transfers"): beside it a small sidecar, `<name>.part.ferry.json`, says which offer it belongs to
 * and how many bytes it holds. A new offer of the same file from the same sender finds it here and asks for
 * the rest. The sidecar is only ever trusted to identify a file: the bytes are hashed again from the disk,
 * and the part path comes from the sidecar's own file name, never from its content.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, opendir, rename, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { childPath, errorCode } from './storePaths';
import { compareHashes } from './hashAgreement';

/** Appended to the `.part` path to name its sidecar. */
export const SIDECAR_SUFFIX = '.ferry.json';
const PART_SUFFIX = '.part';
const SIDECAR_VERSION = 1;
/** A sidecar holds a few short fields and a name of at most 1024 characters; anything bigger is not ours. */
const MAX_SIDECAR_BYTES = 8 * 1024;
/** At most this many sidecars are read per offer, however many a download folder holds. */
const MAX_SIDECARS_EXAMINED = 64;
/**
 * A kept `.part` no byte reached for this long is deleted with its sidecar when its folder is next looked
 * through (an offer, a link): nobody resumes a month-old half file, and it must not fill the disk for ever.
 */
export const KEPT_PART_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const HEX_RE = { sha256: /^[0-9a-f]{64}$/, md5: /^[0-9a-f]{32}$/ } as const;

/** What identifies the file of an offer: who sent it, and what it said about it. */
export interface PartIdentity {
  /** The sender's bare JID. */
  from: string;
  /** The name as offered (before sanitising). */
  name: string;
  size: number;
  /** Whole-file hashes from the offer (lower-case hex), when it carried them. */
  sha256: string | null;
  md5: string | null;
  /** The offer's date (XEP-0082), when it carried one. */
  date: string | null;
  /** A link's URL (XEP-0066): what identifies a file downloaded over HTTP, with its size. */
  url?: string;
}

/**
 * The sidecar's content: the identity, and the bytes the `.part` held when it was kept. A sidecar written
 * while the file is still being received (a crash leaves it behind) has `pid`, the receiving process, and
 * `bytes` 0: the size on disk is what counts once that process is gone.
 */
export interface Sidecar extends PartIdentity {
  version: typeof SIDECAR_VERSION;
  bytes: number;
  pid?: number;
}

/** A kept `.part` claimed for one new offer: append at `offset`. */
export interface ResumablePart {
  partPath: string;
  offset: number;
}

export function sidecarPathOf(partPath: string): string {
  return partPath + SIDECAR_SUFFIX;
}

/**
 * The matching rule: same sender (bare JID), same offered name, same size; then the sha-256, and the md5,
 * must be equal wherever both offers carried one. When neither hash could be compared, the dates must both
 * be known and equal. Sender, name and size alone never match: a different file of the same name and size
 * would be spliced silently.
 */
export function isSameFile(kept: PartIdentity, offered: PartIdentity): boolean {
  if (kept.from !== offered.from || kept.name !== offered.name || kept.size !== offered.size) return false;
  // A link's file is the resource at its URL: same URL and size (the server's Range answer is checked too).
  if (kept.url !== undefined || offered.url !== undefined) return kept.url === offered.url;
  const hashes = compareHashes(kept, offered);
  if (hashes.compared > 0) return hashes.agree;
  return kept.date !== null && kept.date === offered.date;
}

/** Reads a sidecar's JSON; null for anything that is not a well-formed version-1 sidecar. */
export function parseSidecar(text: string): Sidecar | null {
  let value: unknown;
  try { value = JSON.parse(text); } catch { return null; }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  const isHex = (h: unknown, re: RegExp): h is string | null => h === null || (typeof h === 'string' && re.test(h));
  if (v.version !== SIDECAR_VERSION || typeof v.from !== 'string' || typeof v.name !== 'string' || !v.from || !v.name) return null;
  if (!isCount(v.size) || !isCount(v.bytes) || v.bytes > v.size) return null;
  if (!isHex(v.sha256, HEX_RE.sha256) || !isHex(v.md5, HEX_RE.md5) || !(v.date === null || typeof v.date === 'string')) return null;
  if (v.pid !== undefined && !(isCount(v.pid) && v.pid > 0)) return null;
  if (v.url !== undefined && typeof v.url !== 'string') return null;
  const sidecar: Sidecar = {
    version: SIDECAR_VERSION, from: v.from, name: v.name, size: v.size, sha256: v.sha256, md5: v.md5, date: v.date, bytes: v.bytes,
    ...(typeof v.url === 'string' ? { url: v.url } : {}),
  };
  return v.pid === undefined ? sidecar : { ...sidecar, pid: v.pid };
}

/** Whether the process that wrote an open sidecar still runs (then its .part is in use, by us or by it). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** The bytes a kept `.part` offers a resume: the recorded count, or for an open sidecar whose writer died, its size on disk. */
function resumableBytes(kept: Sidecar, sizeOnDisk: number): number | null {
  if (kept.pid === undefined) return sizeOnDisk === kept.bytes ? kept.bytes : null;
  return isRunning(kept.pid) ? null : sizeOnDisk;
}

/**
 * Writes the sidecar of `partPath` atomically: a temporary file created exclusively in the same folder, then
 * renamed over the sidecar, so a reader sees the old content, the new one, or none — never half.
 */
export async function writeSidecar(partPath: string, identity: PartIdentity, bytes: number, owner?: { pid: number }): Promise<void> {
  const sidecar: Sidecar = { version: SIDECAR_VERSION, ...identity, bytes, ...(owner ? { pid: owner.pid } : {}) };
  const text = JSON.stringify(sidecar);
  if (Buffer.byteLength(text) > MAX_SIDECAR_BYTES) throw new Error('the sidecar would be too large');
  const target = sidecarPathOf(partPath);
  const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** What the sidecar of a kept `.part` says about its file (Resume names the file by it); null when there is none. */
export async function readKeptIdentity(partPath: string): Promise<Sidecar | null> {
  return await readSidecar(sidecarPathOf(partPath));
}

/** The sidecar at path, read with a size bound; null when it is missing, too big or malformed. */
async function readSidecar(path: string): Promise<Sidecar | null> {
  let handle;
  try { handle = await open(path, 'r'); } catch { return null; }
  try {
    const buffer = Buffer.alloc(MAX_SIDECAR_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead > MAX_SIDECAR_BYTES ? null : parseSidecar(buffer.subarray(0, bytesRead).toString('utf8'));
  } catch {
    return null; // not a readable file (a directory of that name, an I/O error): not a sidecar
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Finds a kept `.part` in `dir` for this offer and claims it: its sidecar is deleted first, so a second offer
 * of the same file cannot append to it as well (a failed unlink means someone else claimed it). It is
 * resumable when the sidecar matches (isSameFile), the `.part` is a regular file still holding exactly the
 * bytes the sidecar recorded (or, for the open sidecar of a receiver that crashed, whatever it holds), and
 * that is more than none and less than the whole file. An open sidecar whose process still runs is skipped.
 */
export async function claimResumablePart(dir: string, offered: PartIdentity): Promise<ResumablePart | null> {
  for await (const { kept, sidecarPath, partPath, bytes } of keptParts(dir)) {
    if (!isSameFile(kept, offered) || bytes >= offered.size) continue;
    try {
      await unlink(sidecarPath);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw error;
    }
    return { partPath, offset: bytes }; // leaving the loop closes the directory
  }
  return null;
}

/**
 * The kept `.part` files of `dir` (at most MAX_SIDECARS_EXAMINED sidecars read) whose sidecar is readable and
 * whose `.part` is a regular file holding what the sidecar recorded (an open sidecar's dead writer: what it
 * holds), with more than no bytes; an open sidecar whose process still runs is skipped. Resumable ones older
 * than KEPT_PART_MAX_AGE_MS (by the later of the two files' times) are deleted on the way.
 */
async function* keptParts(dir: string, now = Date.now()): AsyncGenerator<{ kept: Sidecar; sidecarPath: string; partPath: string; bytes: number }> {
  let examined = 0;
  let entries;
  try { entries = await opendir(dir); } catch { return; }
  for await (const entry of entries) {
    if (!entry.name.endsWith(PART_SUFFIX + SIDECAR_SUFFIX)) continue;
    if (++examined > MAX_SIDECARS_EXAMINED) break;
    const sidecarPath = childPath(dir, entry.name);
    const partPath = childPath(dir, basename(entry.name, SIDECAR_SUFFIX));
    const kept = await readSidecar(sidecarPath);
    if (!kept) continue;
    const info = await lstat(partPath).catch(() => null);
    const bytes = info?.isFile() ? resumableBytes(kept, info.size) : null;
    if (bytes !== null && info && await deleteIfExpired(sidecarPath, partPath, info.mtimeMs, now)) continue;
    if (bytes !== null && bytes > 0) yield { kept, sidecarPath, partPath, bytes };
  }
}

/** Deletes the sidecar, then the `.part`, when neither changed for KEPT_PART_MAX_AGE_MS; true when deleted. */
async function deleteIfExpired(sidecarPath: string, partPath: string, partMtimeMs: number, now: number): Promise<boolean> {
  const sidecarMtimeMs = await lstat(sidecarPath).then((info) => info.mtimeMs, () => now);
  if (now - Math.max(partMtimeMs, sidecarMtimeMs) < KEPT_PART_MAX_AGE_MS) return false;
  await unlink(sidecarPath).catch(() => undefined); // the sidecar first: without it nobody claims the .part
  await unlink(partPath).catch(() => undefined);
  return true;
}

/**
 * The bytes a kept `.part` of this link holds (read only; nothing is claimed), so the download can ask for
 * the rest with a Range before it knows the size; claimResumablePart then takes it once the size is known.
 */
export async function peekKeptLink(dir: string, link: { from: string; name: string; url: string }): Promise<{ size: number; bytes: number } | null> {
  for await (const { kept, bytes } of keptParts(dir)) {
    if (kept.url === link.url && kept.from === link.from && kept.name === link.name && bytes < kept.size) return { size: kept.size, bytes };
  }
  return null;
}

/**
 * Feeds the first `length` bytes of the file at path to `update`, in reads of at most `chunkBytes` into one
 * reused buffer of shared memory (so the hashing thread takes them where they lie, hashWorker.ts): never the
 * whole file in memory. `update` must resolve only once it is done with a chunk.
 */
export async function feedPrefix(path: string, length: number, update: (chunk: Uint8Array) => Promise<void>, chunkBytes = 1024 * 1024): Promise<void> {
  if (length === 0) return;
  const reader = await open(path, 'r');
  try {
    const buffer = Buffer.from(new SharedArrayBuffer(Math.min(chunkBytes, length)));
    for (let position = 0; position < length;) {
      const { bytesRead } = await reader.read(buffer, 0, Math.min(buffer.length, length - position), position);
      if (bytesRead === 0) throw new Error(`the .part ended after ${position} of the ${length} bytes it should hold`);
      await update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await reader.close();
  }
}

/** Removes the sidecar of `partPath` (the file was published or deleted); a missing one is fine. */
export async function removeSidecar(partPath: string): Promise<void> {
  await unlink(sidecarPathOf(partPath)).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}
