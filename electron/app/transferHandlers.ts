import { FerryError } from '../../shared/ipc/wireError';
import type { CoreHandlers } from './core';
import type { CoreServices } from './coreServices';

/** The transfer.* part of the core handlers. */
export type TransferHandlers = Pick<CoreHandlers, `transfer.${string}` & keyof CoreHandlers>;

/** Placeholders until the file-transfer service lands: every transfer request fails with a clear reason. */
export function createTransferHandlers(_services: CoreServices): TransferHandlers {
  const unavailable = (): never => {
    throw new FerryError('internal', 'file transfer is not available in this build yet');
  };
  return {
    'transfer.send': unavailable,
    'transfer.accept': unavailable,
    'transfer.decline': unavailable,
    'transfer.cancel': unavailable,
    'transfer.list': unavailable,
  };
}
