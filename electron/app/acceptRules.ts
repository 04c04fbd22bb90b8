import { toBareJid } from '../../shared/model/jid';
import { matchingRule, type Settings } from '../../shared/model/settings';
import type { RosterItem } from '../../shared/model/session';
import type { AcceptDecision, OfferForPolicy } from '../transfer/transferService';

/** A contact whose offers rules may take: in the roster with a presence subscription (as the CLI's --accept roster). */
export function isContact(item: RosterItem | undefined): boolean {
  return item !== undefined && (item.subscription === 'both' || item.subscription === 'from');
}

interface AcceptRuleDeps {
  settings: () => Settings;
  rosterItem: (bare: string) => RosterItem | undefined;
  /** A host's own policy (CLI --accept, tests): decides first when given. */
  hostPolicy?: (offer: OfferForPolicy) => AcceptDecision;
}

/**
 * The accept policy of the core: the host's policy when it has one, else the user's auto-accept rules.
 * A stranger (not in the roster with a subscription) is never taken by a rule: the offer asks, and its
 * attempt log says why. An offer a rule takes says which rule did.
 */
export function createAcceptPolicy(deps: AcceptRuleDeps): (offer: OfferForPolicy) => AcceptDecision {
  return (offer) => {
    if (deps.hostPolicy) return deps.hostPolicy(offer);
    const bare = toBareJid(offer.from);
    if (!isContact(deps.rosterItem(bare))) {
      offer.note(`${bare} is not in your contacts: offers from strangers always ask`);
      return 'ask';
    }
    const rule = matchingRule(deps.settings().autoAccept, offer);
    if (!rule) return 'ask';
    offer.note(`accepted by your rule: ${rule.contact === '*' ? 'any contact' : rule.contact}, ${rule.mediaType}, up to ${rule.maxSizeBytes} bytes`);
    return 'accept';
  };
}
