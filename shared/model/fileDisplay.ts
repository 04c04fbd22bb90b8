/**
 * How the UI shows a file name (hostile input, issue 7 item 8): an offered name is shown as it will be
 * saved (shared/model/safeName.ts), and any control, bidi or other invisible formatting character of
 * the name as offered is made visible as ⟨U+202E⟩, so "Invoice\u202Efdp.exe" cannot pass for a PDF.
 */
import { sanitizeFileName, splitExtension } from './safeName';
import type { TransferSummary } from './transfer';

// Controls (C0, DEL, C1), format characters (bidi embeddings/overrides/isolates/marks, zero-width,
// BOM, soft hyphen …) and the line/paragraph separators.
const HIDDEN_RE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** text with each invisible or direction-changing character written out as ⟨U+XXXX⟩. */
export function revealHidden(text: string): string {
  return text.replace(HIDDEN_RE, (char) => `⟨U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** The name to show, and the offered name (made visible) when saving changes it. */
export interface ShownName {
  name: string;
  /** The sender's name, invisible characters revealed, when it differs from the saved one; else null. */
  offeredAs: string | null;
}

function lastSegment(path: string): string {
  const parts = path.split(/[/\\]/);
  return parts[parts.length - 1];
}

/**
 * The name of a transfer's file for the UI: for an incoming file the name it is (or will be) saved
 * as, with the offered name beside it when sanitizing changed it; an outgoing file's own name, with
 * any invisible characters revealed.
 */
export function shownFileName(transfer: Pick<TransferSummary, 'direction' | 'state' | 'path' | 'file'>): ShownName {
  const offered = transfer.file.name;
  if (transfer.direction === 'outgoing') return { name: revealHidden(offered), offeredAs: null };
  const safe = sanitizeFileName(offered);
  const saved = transfer.state === 'done' && transfer.path ? lastSegment(transfer.path) : safe;
  return { name: revealHidden(saved), offeredAs: offered === safe ? null : revealHidden(offered) };
}

// Types whose opening runs code: programs, installers, scripts, shortcuts, macro documents.
const RUNNABLE_EXTENSIONS = new Set([
  'exe', 'com', 'scr', 'pif', 'msi', 'msp', 'msix', 'appx', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse',
  'wsf', 'wsh', 'hta', 'cpl', 'msc', 'jar', 'lnk', 'url', 'reg', 'inf', 'scf', 'gadget', 'application', 'chm',
  'sh', 'bash', 'zsh', 'csh', 'ksh', 'fish', 'command', 'tool', 'app', 'pkg', 'mpkg', 'dmg', 'scpt', 'applescript',
  'workflow', 'terminal', 'deb', 'rpm', 'run', 'bin', 'appimage', 'flatpakref', 'snap', 'desktop', 'apk',
  'py', 'pyw', 'pl', 'rb', 'php', 'lua', 'tcl', 'elf', 'out', 'iso', 'img', 'vhd', 'vhdx',
  'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppam', 'sldm',
]);

/** True when opening a file of this name may run code: "Open" asks first. */
export function isRunnableFile(name: string): boolean {
  const [, extension] = splitExtension(sanitizeFileName(name));
  return RUNNABLE_EXTENSIONS.has(extension.slice(1).toLowerCase());
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (powers of 1024, one decimal below 10): for cards, notifications and error messages. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
