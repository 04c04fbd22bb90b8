import { formatBytes } from '../../../../shared/model/fileDisplay';
import type { UploadRefusal } from '../../../xmpp/xep/xep0363HttpUpload';

/**
 * A slot refusal (XEP-0363 §5) in plain words for the card and the attempt log: the limit, the quota's
 * retry time, or the server's own text.
 */
export function describeRefusal(service: string, refusal: UploadRefusal): string {
  const said = refusal.error.text ? ` (the server said: ${refusal.error.text})` : '';
  switch (refusal.reason) {
    case 'file-too-large':
      return refusal.maxFileSize === null
        ? `${service} refused the file: too large${said}`
        : `${service} refused the file: it is over the upload limit of ${formatBytes(refusal.maxFileSize)} (${refusal.maxFileSize} bytes)${said}`;
    case 'quota':
      return `${service} refused the upload: your upload quota is used up${refusal.retryAt ? `; try again after ${refusal.retryAt}` : ''}${said}`;
    case 'not-allowed':
      return `${service} does not let this account upload files${said}`;
    default:
      return `${service} gave no upload slot: ${refusal.error.condition}${said}`;
  }
}
