import type { TransferSummary } from '../../../shared/model/transfer';
import { isTerminal } from '../../../shared/model/transfer';
import type { Core } from '../../app/core';
import type { Output } from './output';

/**
 * Turns transfer.updated events into the CLI's lines (issue 3's exact JSON interface): an `offer` line
 * for incoming offers, `progress` lines (already throttled to ~10/s by the core), and one final `done`
 * or `failed` line per file. Resolves `ended` entries as transfers end.
 */
export class TransferReport {
  private readonly ended = new Map<string, TransferSummary>();
  private readonly offered = new Set<string>();
  private readonly waiters: (() => void)[] = [];
  private readonly lastBytes = new Map<string, number>();
  readonly dispose: () => void;

  constructor(core: Core, private readonly output: Output) {
    this.dispose = core.on('transfer.updated', (t) => this.onUpdate(t));
  }

  /** Transfers that have ended so far, in order. */
  get endedTransfers(): TransferSummary[] {
    return [...this.ended.values()];
  }

  /** Resolves once `check` holds (re-checked on every end). */
  async until(check: (ended: TransferSummary[]) => boolean): Promise<void> {
    while (!check(this.endedTransfers)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private onUpdate(t: TransferSummary): void {
    if (t.direction === 'incoming' && t.state === 'offered' && !this.offered.has(t.id)) {
      this.offered.add(t.id);
      this.output.result(
        { event: 'offer', id: t.id, from: t.peer, name: t.file.name, size: t.file.size, mediaType: t.file.mediaType, ...link(t), ...preview(t) },
        () => [`offer from ${t.peer}: ${t.file.name} (${t.file.size} bytes)`],
      );
    }
    if (isTerminal(t.state)) {
      this.onEnd(t);
      return;
    }
    if (t.state === 'transferring' && this.lastBytes.get(t.id) !== t.bytes) {
      this.lastBytes.set(t.id, t.bytes);
      this.output.result(
        { event: 'progress', id: t.id, bytes: t.bytes, size: t.file.size, rate: Math.round(t.rate) },
        () => [`${t.file.name}: ${t.bytes}/${t.file.size} bytes, ${(t.rate / 1e6).toFixed(1)} MB/s`],
      );
    }
  }

  private onEnd(t: TransferSummary): void {
    if (this.ended.has(t.id)) return;
    this.ended.set(t.id, t);
    if (t.state === 'done') {
      this.output.result({
        event: 'done', id: t.id, direction: t.direction, name: t.file.name, size: t.file.size, sha256: t.sha256,
        method: t.method, transport: t.transport, path: t.path, attempts: t.attempts, hash: t.hash, ...resumed(t), ...link(t),
      }, () => [`done: ${t.file.name} (${t.file.size} bytes) via ${t.transport ?? '?'}${t.path ? ` → ${t.path}` : ''}`]);
    } else {
      this.output.result({
        event: 'failed', id: t.id, direction: t.direction, name: t.file.name, state: t.state, reason: t.reason ?? t.state,
        attempts: t.attempts, method: t.method, transport: t.transport, hash: t.hash, ...resumed(t), ...link(t),
      }, () => [`${t.state}: ${t.file.name}: ${t.reason ?? t.state}`, ...t.attempts.map((a) => `  ${a.transport ?? a.method} ${a.detail}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`)]);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** `resumedFrom` appears only when a range was used. */
function resumed(t: TransferSummary): { resumedFrom?: number } {
  return t.resumedFrom === null ? {} : { resumedFrom: t.resumedFrom };
}

/** `url` appears for the server-stored methods: where the file was uploaded, or the link it was offered by. */
function link(t: TransferSummary): { url?: string } {
  return t.url === null ? {} : { url: t.url };
}

/** `thumbnail` appears on an offer that came with one: its media type and decoded size as received. */
function preview(t: TransferSummary): { thumbnail?: { mediaType: string; bytes: number } } {
  return t.thumbnail === null ? {} : { thumbnail: { mediaType: t.thumbnail.mediaType, bytes: t.thumbnail.bytes } };
}
