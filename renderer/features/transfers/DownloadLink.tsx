import type { TransferSummary } from '../../../shared/model/transfer';
import { transfersStore } from '../../stores/transfersStore';

/**
 * Web host: "Download" for a finished received file, fetched from the host's token-guarded `/download`
 * (the browser cannot open the host's files). Nothing where the host has no such URL (Electron opens files).
 */
export function DownloadLink({ transfer }: { transfer: TransferSummary }) {
  const url = transfersStore.getState().downloadUrl(transfer.id);
  if (!url) return null;
  return <a className="button small" href={url} download={transfer.path?.split(/[/\\]/).pop() ?? transfer.file.name}>Download</a>;
}
