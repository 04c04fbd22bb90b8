import type { HashState, TransferSummary } from '../../../shared/model/transfer';

interface Badge {
  label: string;
  title: string;
}

const RECEIVED_TITLES: Record<HashState, string> = {
  verified: 'The file matched the hash the sender sent',
  mismatch: 'The bytes did not match the hash the sender sent: the file was not kept',
  none: 'The sender sent no hash, so the file could not be checked',
};
const SENT_TITLES: Record<HashState, string> = {
  verified: 'The receiver checked the file against the hash sent and it matched',
  mismatch: 'The receiver found that the bytes did not match the hash sent: it did not keep the file',
  none: 'The receiver did not say it checked a hash',
};
const LABELS: Record<HashState, string> = { verified: 'verified', mismatch: 'damaged', none: 'not checked' };

/**
 * The words for a transfer's hash state (`TransferSummary.hash`), or null while there is nothing to say:
 * `none` means "not checked" only once the transfer is done; before that no check could have happened yet.
 */
function badgeOf(transfer: TransferSummary): Badge | null {
  const { hash } = transfer;
  if (hash === 'none' && transfer.state !== 'done') return null;
  const titles = transfer.direction === 'incoming' ? RECEIVED_TITLES : SENT_TITLES;
  return { label: LABELS[hash], title: titles[hash] };
}

/** Whether the bytes were checked, in words (verified / not checked / damaged); the colour only repeats them. */
export function HashBadge({ transfer }: { transfer: TransferSummary }) {
  const badge = badgeOf(transfer);
  if (!badge) return null;
  return <span className={`transfer-check transfer-check--${transfer.hash}`} title={badge.title}>{badge.label}</span>;
}
