import type { TransferSummary } from '../../../shared/model/transfer';
import type { TransferRecord } from '../transferRecord';
import { makeThumbnail } from './makeThumbnail';
import { checkReceivedThumbnail } from './receivedThumbnail';

/** The preview shown on a card (the file's own, once it is here or was sent): small, re-encoded from the pixels. */
const PREVIEW_MAX_BYTES = 48 * 1024;

/** After an image arrived or was sent by any method, its card shows it: a thumbnail made from the file. */
export async function previewFile(record: TransferRecord, summary: TransferSummary): Promise<void> {
  if (summary.thumbnail || !summary.path || !summary.file.mediaType.startsWith('image/')) return;
  const made = await makeThumbnail(summary.path, { maxBytes: PREVIEW_MAX_BYTES }).catch(() => null);
  const png = made ? await asPng(made) : null;
  if (made && png) record.setThumbnail({ mediaType: made.mediaType, bytes: made.bytes.length, png });
}

/** The renderer shows PNG only: a JPEG preview is re-encoded (still small). */
async function asPng(made: { mediaType: string; bytes: Uint8Array }): Promise<string | null> {
  if (made.mediaType === 'image/png') return Buffer.from(made.bytes).toString('base64');
  const png = await checkReceivedThumbnail(made.bytes, { maxBytes: PREVIEW_MAX_BYTES * 4 }).catch(() => null);
  return png ? Buffer.from(png.bytes).toString('base64') : null;
}
