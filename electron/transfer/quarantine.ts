/**
 * Marks a received file as downloaded from the internet where the OS has such a mark, so the OS's own
 * checks run when it is opened (SmartScreen, Office Protected View; Gatekeeper): on Windows the
 * `Zone.Identifier` alternate data stream with ZoneId=3 (Internet), on macOS the
 * `com.apple.quarantine` extended attribute, written with the `xattr` tool. Elsewhere nothing.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

/** What marking needs; tests inject a platform and fakes. */
export interface QuarantineDeps {
  platform: NodeJS.Platform;
  writeFile: (path: string, data: string) => Promise<void>;
  /** Runs a program with arguments (no shell) and resolves when it exits 0. */
  run: (file: string, args: readonly string[]) => Promise<void>;
  /** Seconds since the epoch. */
  now: () => number;
  newId: () => string;
}

/** How long `xattr` may take before the mark is given up. */
const XATTR_TIMEOUT_MS = 5000;
/** The Zone.Identifier stream of an Internet download (URLZONE_INTERNET = 3). */
export const ZONE_IDENTIFIER = '[ZoneTransfer]\r\nZoneId=3\r\n';
/** The flags Safari writes on a download (0x0083); Gatekeeper then runs its first-open checks. */
const QUARANTINE_FLAGS = '0083';
const AGENT = 'Ferry';

function runFile(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: XATTR_TIMEOUT_MS, windowsHide: true }, (error) => (error ? reject(error) : resolve()));
  });
}

const nodeDeps: QuarantineDeps = {
  platform: process.platform,
  writeFile: (path, data) => writeFile(path, data),
  run: runFile,
  now: () => Math.floor(Date.now() / 1000),
  newId: () => randomUUID().toUpperCase(),
};

/** The value of com.apple.quarantine: flags;hex seconds;agent;UUID. */
export function quarantineValue(seconds: number, id: string): string {
  return `${QUARANTINE_FLAGS};${seconds.toString(16)};${AGENT};${id}`;
}

/**
 * Marks path as downloaded from the internet; true when a mark was written, false where the OS has
 * none or writing failed (a file system without streams or xattrs: the file itself is fine).
 */
export async function markDownloaded(path: string, deps: Partial<QuarantineDeps> = {}): Promise<boolean> {
  const d = { ...nodeDeps, ...deps };
  try {
    if (d.platform === 'win32') {
      await d.writeFile(`${path}:Zone.Identifier`, ZONE_IDENTIFIER);
      return true;
    }
    if (d.platform === 'darwin') {
      await d.run('xattr', ['-w', 'com.apple.quarantine', quarantineValue(d.now(), d.newId()), path]);
      return true;
    }
  } catch {
    return false;
  }
  return false;
}
