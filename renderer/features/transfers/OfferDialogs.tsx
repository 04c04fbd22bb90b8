import { ErrorText } from '../../components/ErrorText';
import { usePendingOffers, useTransfers } from '../../stores/transfersStore';
import { OfferDialog } from './OfferDialog';

/**
 * Every incoming offer still waiting for an answer, stacked in a corner so the chat stays usable;
 * nothing when there are none.
 */
export function OfferDialogs() {
  const offers = usePendingOffers();
  const error = useTransfers((s) => s.errorText);
  if (offers.length === 0) return null;
  return (
    <section className="offer-stack" aria-label="Incoming files">
      {offers.map((offer) => <OfferDialog key={offer.id} offer={offer} />)}
      <ErrorText text={error} />
    </section>
  );
}
