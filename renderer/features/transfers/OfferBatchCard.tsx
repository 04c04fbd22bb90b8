import { formatBytes } from '../../../shared/model/fileDisplay';
import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferSummary } from '../../../shared/model/transfer';
import { useSession } from '../../stores/sessionStore';
import { acceptAll, declineAll } from '../../stores/offerAnswers';
import { offerCardKeys } from '../chat/offerFocus';
import { OfferFacts } from './OfferCard';
import { OfferActions } from './OfferActions';
import { OfferSender } from './OfferSender';
import { Thumbnail } from './Thumbnail';

/**
 * Several files offered together (one drop on the sender's side) as one card: Accept all, Save all to…
 * (where the host has a folder dialog) and Decline all, and a row per file with its own answers.
 * Focusable: Enter accepts all, Esc goes back to the composer.
 */
export function OfferBatchCard({ offers, cardKey }: { offers: TransferSummary[]; cardKey: string }) {
  const hasNativeFiles = useSession((s) => s.host?.hasNativeFiles === true);
  const ids = offers.map((o) => o.id);
  const total = offers.reduce((sum, o) => sum + o.file.size, 0);
  return (
    <li className="transfer-card offer-card offer-batch" tabIndex={0} data-offer-key={cardKey} data-transfer-ids={ids.join(' ')}
      aria-label={`${offers.length} incoming files`} onKeyDown={offerCardKeys(() => void acceptAll(ids))}>
      <p className="offer-from">
        <OfferSender peer={offers[0]!.peer} /> wants to send you {offers.length} files ({formatBytes(total)})
      </p>
      <ul className="offer-rows" aria-label="Files offered">
        {offers.map((offer) => (
          <li key={offer.id} className="offer-row" aria-label={`Incoming file: ${shownFileName(offer).name}`}>
            <OfferFacts offer={offer} />
            <Thumbnail transfer={offer} />
            <OfferActions offer={offer} isNamed />
          </li>
        ))}
      </ul>
      <div className="offer-actions offer-batch-actions">
        <button type="button" className="primary" onClick={() => void acceptAll(ids)}>Accept all</button>
        {hasNativeFiles && <button type="button" onClick={() => void acceptAll(ids, { pickFolder: true })}>Save all to…</button>}
        <button type="button" className="ghost" onClick={() => void declineAll(ids)}>Decline all</button>
      </div>
    </li>
  );
}
