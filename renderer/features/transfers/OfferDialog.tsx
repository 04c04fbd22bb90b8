import { useEffect, useId, useRef } from 'react';
import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferSummary } from '../../../shared/model/transfer';
import { ErrorText } from '../../components/ErrorText';
import { useFocusTrap } from '../../components/useFocusTrap';
import { useTransfers } from '../../stores/transfersStore';
import { formatFileSize, linkHost } from './format';
import { OfferActions } from './OfferActions';
import { OfferSender } from './OfferSender';
import { Thumbnail } from './Thumbnail';

/**
 * A stranger's offer (issue 11: a modal only where it adds something, here "not in your contacts"):
 * sender, the name it will be saved as (and the offered one, invisible characters revealed, when they
 * differ), size and media type, with Accept, "Save to…" and Decline. It takes focus when it opens and keeps
 * Tab inside (useFocusTrap); Esc
 * or "Not now" closes it without answering (the offer stays in that chat and in a toast).
 */
export function OfferDialog({ offer, onDismiss }: { offer: TransferSummary; onDismiss: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { ref.current?.focus(); }, [offer.id]);
  useFocusTrap(ref);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onDismiss();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onDismiss]);
  const error = useTransfers((s) => s.errorText);
  const { file } = offer;
  const shown = shownFileName(offer);
  return (
    <div className="modal-backdrop">
      <div className="offer-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={descriptionId}
        tabIndex={-1} ref={ref}>
        <h2 id={titleId} className="offer-title">Incoming file: {shown.name}</h2>
        <div id={descriptionId} className="offer-body">
          <p className="offer-from">From <OfferSender peer={offer.peer} /></p>
          <dl className="offer-facts">
            <dt>Name</dt><dd className="offer-name" title={shown.name}>{shown.name}</dd>
            {shown.offeredAs !== null && (
              <><dt>Offered as</dt><dd className="offer-offered-as" title={shown.offeredAs}>{shown.offeredAs}</dd></>
            )}
            <dt>Size</dt><dd>{formatFileSize(offer)}</dd>
            <dt>Type</dt><dd>{file.mediaType || 'unknown'}</dd>
            {offer.url !== null && <><dt>Shared</dt><dd className="offer-link" title={offer.url}>as a link on {linkHost(offer.url)}</dd></>}
          </dl>
          <Thumbnail transfer={offer} />
        </div>
        <OfferActions offer={offer} />
        <ErrorText text={error} />
        <button type="button" className="ghost small offer-later" onClick={onDismiss}>Not now</button>
      </div>
    </div>
  );
}
