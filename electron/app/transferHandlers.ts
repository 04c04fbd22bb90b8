import type { CoreHandlers } from './core';
import type { CoreServices } from './coreServices';

/** The transfer.* part of the core handlers. */
export type TransferHandlers = Pick<CoreHandlers, `transfer.${string}` & keyof CoreHandlers>;

/** Thin calls into the transfer service. */
export function createTransferHandlers(services: CoreServices): TransferHandlers {
  const { transfers, transferHistory } = services;
  return {
    'transfer.send': async (args) => await transfers.send(args),
    'transfer.accept': ({ id, dir }) => transfers.accept(id, dir),
    'transfer.decline': ({ id }) => transfers.decline(id),
    'transfer.cancel': ({ id }) => transfers.cancel(id),
    'transfer.list': async () => await transferHistory.list(() => transfers.list()),
    'transfer.remove': ({ id }) => transferHistory.remove(id),
    'transfer.resume': async ({ id }) => await transferHistory.resume(id),
    'transfer.resend': async ({ id }) => await transferHistory.resend(id),
    'transfer.retry': async ({ id }) => await transfers.retry(id),
  };
}
