/**
 * The words of a system notification for a transfer that just ended, the same in the Electron host (native
 * notifications) and the web host (the browser's Notification API).
 */
import { formatBytes, shownFileName } from './fileDisplay';
import { reasonSentence } from './reasonWords';
import type { TransferSummary } from './transfer';

export interface Notice {
  title: string;
  body: string;
}

/** Which notification setting governs an ended transfer's notice; null: it gets none (declined, cancelled…). */
export function endedNoticeKind(summary: Pick<TransferSummary, 'state'>): 'transferDone' | 'transferFailed' | null {
  if (summary.state === 'done') return 'transferDone';
  if (summary.state === 'failed') return 'transferFailed';
  return null;
}

/** "Received report.pdf" / "report.pdf could not be sent" and who, with the reason in words; null: no notice. */
export function endedNotice(summary: TransferSummary): Notice | null {
  const kind = endedNoticeKind(summary);
  if (!kind) return null;
  const name = shownFileName(summary).name;
  const peer = summary.peer.split('/')[0];
  const isIncoming = summary.direction === 'incoming';
  if (kind === 'transferDone') {
    return {
      title: isIncoming ? `Received ${name}` : `Sent ${name}`,
      body: `${isIncoming ? 'from' : 'to'} ${peer} · ${formatBytes(summary.file.size)}`,
    };
  }
  return {
    title: `${name} could not be ${isIncoming ? 'received' : 'sent'}`,
    body: `${isIncoming ? 'From' : 'To'} ${peer}. ${reasonSentence(summary.reason ?? 'no reason was given')}`,
  };
}
