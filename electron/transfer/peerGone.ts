import type { PlanHandle } from './methods/planRunner';
import type { IncomingTransfer } from './methods/types';
import type { TransferRecord } from './transferRecord';

/**
 * A peer's resource went unavailable: what that ends. Presence is not the stream (issue 7 item 1): once a
 * bytestream is attached and carrying the file, its own end decides (all bytes and a close, an error, or
 * the stall watchdog), because a sender that logs off right after its last write still has bytes in flight,
 * in a proxy or at the server. Only transfers with no live stream yet (offered, negotiating, connecting) end
 * with the presence. Such a stream still ends "went offline", but only once no byte moved for `graceMs`. A
 * link (its bytes come from a server) and an upload do not need the peer at all.
 */
export function endTransfersOfPeer(jid: string, transfers: { incoming: Iterable<IncomingTransfer>; outgoing: Iterable<PlanHandle> }, graceMs: number): void {
  const reason = `${jid} went offline`;
  for (const transfer of transfers.incoming) {
    const { record } = transfer;
    if (record.peer !== jid || record.isEnded || transfer.isPeerIndependent) continue;
    const end = (): void => { transfer.cancel(reason); record.end('failed', { reason }); };
    if (isStreaming(record)) endWhenQuiet(record, graceMs, end);
    else end();
  }
  for (const handle of transfers.outgoing) {
    // An outgoing file's running peer-to-peer step: failing it moves the plan on to an upload, if it has one.
    const step = handle.peerStepTo(jid);
    if (!step) continue;
    if (isStreaming(step)) endWhenQuiet(step, graceMs, () => handle.failStep(reason));
    else handle.failStep(reason);
  }
}

function isStreaming(record: TransferRecord): boolean {
  return record.state === 'transferring' || record.state === 'verifying';
}

/** Polls the record's byte count after its peer went offline; ends it when it stops moving. */
function endWhenQuiet(record: TransferRecord, graceMs: number, end: () => void): void {
  let bytes = record.bytes;
  let quietSince = Date.now();
  const timer = setInterval(() => {
    if (record.isEnded) { clearInterval(timer); return; }
    if (record.bytes !== bytes || record.state === 'verifying') { bytes = record.bytes; quietSince = Date.now(); return; }
    if (Date.now() - quietSince < graceMs) return;
    clearInterval(timer);
    end();
  }, Math.max(10, Math.floor(graceMs / 4)));
  timer.unref();
}
