import type { TransferSummary } from '../../../shared/model/transfer';

/**
 * The preview of an image transfer: always a PNG the core re-encoded from the pixels (never the sender's
 * bytes), shown as a data: URL, which the app's CSP allows for images only.
 */
export function Thumbnail({ transfer }: { transfer: Pick<TransferSummary, 'thumbnail' | 'file'> }) {
  if (!transfer.thumbnail) return null;
  return (
    <img className="transfer-thumbnail" src={`data:image/png;base64,${transfer.thumbnail.png}`}
      alt={`Preview of ${transfer.file.name}`} />
  );
}
