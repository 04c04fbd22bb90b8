/**
 * The service's side of an incoming file: opens the `.part` (or resumes a kept one) for one offer, and is
 * the one place that decides what happens to a `.part` when its transfer ends without the file, for every
 * method: the receivers only say "it ended" (IncomingFile.abort) after they ended the record.
 */
import type { HashState, FileMeta, TransferMethod } from '../../shared/model/transfer';
import { toBareJid } from '../../shared/model/jid';
import { createIncomingFile, type PartIdentity } from './fileStore';
import type { IncomingFile } from './streams/receiveStream';
import type { TransferRecord } from './transferRecord';

/** What the offer said that matters for opening its file. */
export interface OpenPartOptions {
  dir: string;
  record: TransferRecord;
  method: TransferMethod;
  /** The sender's full JID. */
  from: string;
  file: FileMeta;
  /** Whole-file hashes the offer carried: md5 (XEP-0096) is checked at commit; both identify the file. */
  sha256: string | null;
  /** The offer says the sender can send a range (XEP-0096 §3 / XEP-0234 §7 `<range/>`): a kept .part may be resumed. */
  isRangeSupported: boolean;
  /** A link's URL: the file is identified by it (and kept for a resume with Range on failure). */
  url?: string;
  /** Look for a kept .part to append to (default: isRangeSupported); a link asks only when the server answered its Range. */
  resume?: boolean;
  /** No size is known (IncomingFileOffer.isSizeUnknown): nothing bounds the writes here, and nothing is kept for a resume. */
  isSizeUnknown?: boolean;
}

/**
 * The keep-or-delete rule (for a file that could be resumed at all: see openIncomingPart). Kept only when the transfer failed (the stream broke or stalled, the peer went
 * offline, the session ended with an error, Ferry shut down) and the data was not found damaged. Deleted
 * when it was cancelled (by either side) or declined, and when the hash did not match (commit deleted it
 * already) or the sender sent too many bytes (receiveOver discarded it already).
 */
export function isKeptForResume(end: { state: string; hash: HashState }): boolean {
  return end.state === 'failed' && end.hash !== 'mismatch';
}

/**
 * Opens the file of one offer. With range support, a kept .part of the same file is resumed: the record
 * says so (resumedFrom, and a line in the attempt log), and the returned file's offset is where the
 * receiver asks the sender to start. Only a file that could be resumed later is ever kept: its offer
 * supports ranges and carries a hash or a date to recognise it by (resumablePart.ts isSameFile); any other
 * .part is deleted however its transfer ends, as before.
 */
export async function openIncomingPart(options: OpenPartOptions): Promise<IncomingFile> {
  const { record, file: meta } = options;
  const identity: PartIdentity = {
    from: toBareJid(options.from), name: meta.name, size: meta.size,
    sha256: options.sha256?.toLowerCase() ?? null, md5: meta.md5?.toLowerCase() ?? null, date: meta.date,
    ...(options.url !== undefined ? { url: options.url } : {}),
  };
  const canResume = !options.isSizeUnknown && options.isRangeSupported && (identity.sha256 !== null || identity.md5 !== null || identity.date !== null || identity.url !== undefined);
  const file = await createIncomingFile({
    dir: options.dir, name: meta.name, expectedSize: options.isSizeUnknown ? null : meta.size, md5: meta.md5 !== null,
    ...(canResume ? { identity, resume: options.resume ?? true } : {}),
  });
  record.setPartPath(file.partPath);
  if (file.offset > 0) {
    record.setResumedFrom(file.offset);
    record.log({
      method: options.method, transport: null, outcome: 'started', reason: '',
      detail: `resuming ${file.partPath} at byte ${file.offset} of ${meta.size} (kept from an interrupted transfer)`,
    });
  }
  return {
    writable: file,
    offset: file.offset,
    commit: (expected) => file.commit({ expectedMd5: expected.md5, expectedSha256: expected.sha256 }),
    abort: async () => {
      if (isKeptForResume(record.snapshot())) return file.keepForResume();
      await file.abort();
      return false;
    },
    discard: () => file.abort(),
  };
}
