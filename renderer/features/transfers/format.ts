/** Human-readable sizes, rates and durations for transfer cards. */
import type { TransferMethod, TransportKind } from '../../../shared/model/transfer';

/** 1536 → "1.5 KB": one definition for the core's messages and the cards (shared/model/fileDisplay.ts). */
import { formatBytes } from '../../../shared/model/fileDisplay';

export { formatBytes };

/** 95 → "1 min 35 s"; null → "". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const METHOD_LABELS: Record<TransferMethod, string> = { si: 'SI', jingle: 'Jingle', 'http-upload': 'HTTP upload', kontalk: 'Kontalk upload', oob: 'link' };
const TRANSPORT_LABELS: Record<TransportKind, string> = {
  's5b-direct': 'SOCKS5 direct', 's5b-proxy': 'SOCKS5 proxy', ibb: 'in-band', http: 'HTTP', oneteam: 'OneTeam HTTP proxy',
};

/** ('si', 's5b-proxy') → "SI · SOCKS5 proxy"; "" while neither is known. */
export function formatRoute(method: TransferMethod | null, transport: TransportKind | null): string {
  const parts = [method ? METHOD_LABELS[method] : null, transport ? TRANSPORT_LABELS[transport] : null];
  return parts.filter((p): p is string => p !== null).join(' · ');
}

/** A transport's name in the attempt log; "—" for a method-level entry. */
export function formatTransport(transport: TransportKind | null): string {
  return transport ? TRANSPORT_LABELS[transport] : '—';
}

/** The first 12 hex digits of a hash, for display (the full value goes in a title). */
export function shortHash(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 12)}…` : hex;
}

/** ms since epoch → "14:03:27", for the attempt log. */
export function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * A file's size for a card, or "size unknown" for a link whose server has not said (yet, or at all: a body
 * without Content-Length, whose size is known once it is all in).
 */
export function formatFileSize(transfer: { url: string | null; direction: string; state: string; file: { size: number } }): string {
  if (transfer.url !== null && transfer.direction === 'incoming' && transfer.file.size === 0 && transfer.state !== 'done') return 'size unknown';
  return formatBytes(transfer.file.size);
}

/** The host a link points to, for "Shared as a link on …"; the URL itself when it cannot be read. */
export function linkHost(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}
