import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TransferResumed } from '../../shared/ipc/contract';
import { toBareJid } from '../../shared/model/jid';
import type { TransferSummary } from '../../shared/model/transfer';
import type { FileRequested } from '../transfer/methods/types';
import { readKeptIdentity } from '../transfer/resumablePart';
import { compareHashes } from '../transfer/hashAgreement';
import type { TransferService } from '../transfer/transferService';

/**
 * Resume of an interrupted peer-to-peer file (issue #10): the sender is asked for it again with a range from
 * the kept part (XEP-0234 §6.2, TransferService.requestAgain), named by the identity its sidecar kept (the name
 * as offered, size, the offer's hashes). The sender's new offer is taken without a prompt and continues the
 * part. When no resource of the sender can be asked, or its client will not send the file, the answer is a
 * note saying so and what to do instead.
 */
export async function askAgain(old: TransferSummary, transfers: Pick<TransferService, 'requestAgain' | 'list'>): Promise<TransferResumed> {
  const kept = old.partPath && existsSync(old.partPath) ? statSync(old.partPath).size : 0;
  const peer = toBareJid(old.peer);
  const then = kept > 0 ? `continue from the ${kept} bytes it kept` : 'receive it again';
  const plain = { transfer: null, note: `Ask ${peer} to send ${old.file.name} again: Ferry will ${then}.` };
  if (!old.partPath) return plain;
  const identity = await readKeptIdentity(old.partPath);
  const outcome = await transfers.requestAgain({
    from: peer, name: identity?.name ?? old.file.name, size: identity?.size ?? old.file.size,
    sha256: identity?.sha256 ?? null, md5: identity?.md5 ?? old.file.md5?.toLowerCase() ?? null, dir: dirname(old.partPath),
  }, kept);
  if (outcome.kind === 'unavailable') return plain;
  if (outcome.kind === 'refused') {
    return { transfer: null, note: `${peer}'s client cannot be asked for ${old.file.name} (${outcome.detail}): ask ${peer} to send it again; Ferry will ${then}.` };
  }
  const transfer = outcome.transferId === null ? undefined : transfers.list().find((t) => t.id === outcome.transferId);
  if (transfer) return { transfer, note: null };
  return { transfer: null, note: `${peer} is sending ${old.file.name} again: when its offer arrives, Ferry will ${then}.` };
}

/**
 * The file a peer's request names, among the files Ferry offered to that bare JID (outgoing, with a path): the
 * newest whose name and size equal the request's, and whose hashes equal wherever both are known (a request
 * naming only a hash matches a transfer that knows that hash). It must still be on disk with the same size.
 * Nothing else is ever served: a peer cannot pull a file it was not offered.
 */
export function findRequestedFile(transfers: readonly TransferSummary[], request: FileRequested): string | null {
  const bare = toBareJid(request.from);
  for (const t of [...transfers].reverse()) {
    if (t.direction !== 'outgoing' || !t.path || toBareJid(t.peer) !== bare) continue;
    if (!matches(t, request)) continue;
    const size = existsSync(t.path) ? statSync(t.path).size : -1;
    if (size === t.file.size) return t.path;
  }
  return null;
}

function matches(t: TransferSummary, request: FileRequested): boolean {
  if (request.name !== null && request.name !== t.file.name) return false;
  if (request.size !== null && request.size !== t.file.size) return false;
  const hashes = compareHashes(request, { sha256: t.sha256, md5: t.file.md5 });
  if (!hashes.agree) return false;
  return hashes.compared > 0 || (request.name !== null && request.size !== null);
}
