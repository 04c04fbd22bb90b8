import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferSummary } from '../../../shared/model/transfer';
import { transfersStore } from '../../stores/transfersStore';
import { offerCardKeys } from '../chat/offerFocus';
import { formatFileSize, linkHost } from './format';
import { OfferActions } from './OfferActions';
import { OfferSender } from './OfferSender';
import { Thumbnail } from './Thumbnail';

/** Name (and the offered name when it differs), size, media type and where a link points, on one line. */
export function OfferFacts({ offer }: { offer: TransferSummary }) {
  const shown = shownFileName(offer);
  return (
    <div className="transfer-line offer-facts-line">
      <span className="transfer-dir" aria-hidden="true">↓</span>
      <span className="transfer-name offer-name" title={shown.name}>{shown.name}</span>
      <span className="transfer-size">{formatFileSize(offer)}</span>
      <span className="transfer-size">{offer.file.mediaType || 'unknown type'}</span>
      {shown.offeredAs !== null && <span className="offer-offered-as" title={shown.offeredAs}>offered as {shown.offeredAs}</span>}
      {offer.url !== null && <span className="offer-link" title={offer.url}>shared as a link on {linkHost(offer.url)}</span>}
    </div>
  );
}

/**
 * One incoming offer waiting for an answer, in the timeline where it arrived: who offers it, the file,
 * its preview, Accept / Save to… / Decline. Focusable: Enter accepts, Esc goes back to the composer.
 */
export function OfferCard({ offer, cardKey }: { offer: TransferSummary; cardKey: string }) {
  const name = shownFileName(offer).name;
  return (
    <li className="transfer-card offer-card" tabIndex={0} data-offer-key={cardKey} data-transfer-ids={offer.id} aria-label={`Incoming file: ${name}`}
      onKeyDown={offerCardKeys(() => void transfersStore.getState().accept(offer.id))}>
      <p className="offer-from"><OfferSender peer={offer.peer} /> wants to send you a file</p>
      <OfferFacts offer={offer} />
      <Thumbnail transfer={offer} />
      <OfferActions offer={offer} />
    </li>
  );
}
