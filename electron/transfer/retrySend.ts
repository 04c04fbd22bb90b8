import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { FerryError } from '../../shared/ipc/wireError';
import type { SendFilesArgs } from '../../shared/ipc/contract';
import type { Attempt, TransferId, TransferMethod } from '../../shared/model/transfer';
import type { TransferRecord } from './transferRecord';

/** The first attempt-log line of a retried file: which transfer it sends again (issue 11, Retry). */
export function retryAttempt(oldId: TransferId, method: TransferMethod): Omit<Attempt, 'at'> {
  return { method, transport: null, outcome: 'started', reason: '', detail: `retries ${oldId}` };
}

/**
 * How each outgoing file was sent (the peer as asked for, method, transport, IBB options, its one path), so
 * Retry can offer the same file to the same peer with the same choices. Keyed weakly by record: a record
 * the service forgets (removed, pruned) takes its entry with it.
 */
export class SentFiles {
  private readonly sent = new WeakMap<TransferRecord, SendFilesArgs>();

  remember(record: TransferRecord, args: SendFilesArgs, path: string): void {
    this.sent.set(record, { ...args, paths: [path] });
  }

  /**
   * The arguments to send `record`'s file again. Refused with a sentence for an unknown, incoming, running
   * or delivered transfer, and when the file is no longer there or cannot be read.
   */
  async argsForRetry(record: TransferRecord | undefined): Promise<SendFilesArgs> {
    if (!record) throw new FerryError('not-found', 'That transfer is no longer in the list, so it cannot be retried.');
    const { name } = record.file;
    if (record.direction === 'incoming') {
      throw new FerryError('bad-request', `Only files you sent can be retried; ask ${record.peer} to send "${name}" again.`);
    }
    if (record.state === 'done') throw new FerryError('bad-request', `"${name}" was already delivered; send it again as a new file.`);
    if (!record.isEnded) throw new FerryError('bad-request', `"${name}" has not ended yet; cancel it before retrying.`);
    const args = this.sent.get(record);
    if (!args) throw new FerryError('not-found', `Ferry no longer knows how "${name}" was sent; send it again as a new file.`);
    await checkReadable(args.paths[0]!, name);
    return args;
  }
}

async function checkReadable(path: string, name: string): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it is no longer there' : code === 'EACCES' ? 'Ferry may not read it' : 'it is not a readable file';
    throw new FerryError('bad-request', `"${name}" cannot be sent again: ${why} (${path}).`);
  }
}
