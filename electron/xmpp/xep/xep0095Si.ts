/**
 * XEP-0095: Stream Initiation, version 1.2 (2017-11-29)
 * https://xmpp.org/extensions/xep-0095.html
 *
 * The `<si/>` envelope: id, mime-type, profile, one profile element and the stream-method
 * negotiation; the accept; and the errors of §4.2. The file-transfer profile is xep0096FileTransfer.ts.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr } from './attributes';
import {
  APP_CONDITIONS, hasAppCondition, invalid, parsed, stanzaError, type ParseResult, type StanzaError,
} from './stanzaErrors';
import { buildFeatureOffer, buildFeatureSubmit, NS_FEATURE_NEG, parseFeatureOffer, parseFeatureSubmit } from './xep0020FeatureNeg';

export const NS_SI = 'http://jabber.org/protocol/si';
/** The XEP-0020 field that carries the stream methods (§4.1). */
export const STREAM_METHOD_FIELD = 'stream-method';
/** §4.1: "If not included during negotiation, its value is assumed to be "application/octet-stream"." */
export const DEFAULT_MIME_TYPE = 'application/octet-stream';

/** An SI offer with its profile element still opaque. */
export interface SiOffer {
  id: string;
  mimeType: string;
  profile: string;
  /** The single child in the profile's namespace. */
  profileElement: Element;
  /** Offered stream-method namespaces, in the sender's order. */
  methods: string[];
}

/**
 * `<si id mime-type profile>{profile element}<feature/></si>`. §4.1: "When the Sender first negotiates a
 * Stream Initiation, all of the attributes SHOULD be present, and the id" and "profile" MUST be present.
 * The contents MUST contain one profile, in the namespace declared in the "profile" attribute, and the
 * feature negotiation for the stream. The feature negotiation MUST contain at least one option and use
 * the field var "stream-method"."
 */
export function buildSiOffer(offer: SiOffer): Element {
  if (!offer.id || !offer.profile) throw new RangeError('an SI offer needs an id and a profile');
  if (offer.profileElement.getNS() !== offer.profile) throw new RangeError('profile element not in the profile namespace');
  return xml(
    'si',
    { xmlns: NS_SI, id: offer.id, 'mime-type': offer.mimeType, profile: offer.profile },
    offer.profileElement,
    buildFeatureOffer({ field: STREAM_METHOD_FIELD, options: offer.methods, fieldType: 'list-single' }),
  );
}

/**
 * Reads an offer. A missing id or feature form is bad-request; a profile other than `knownProfile`, or
 * no element in its namespace, is bad-request with <bad-profile/> (§4.2).
 */
export function parseSiOffer(si: Element, knownProfile: string): ParseResult<SiOffer> {
  if (!si.is('si', NS_SI)) return invalid('not an SI element');
  const id = readAttr(si, 'id');
  // §4.1: "This attribute MUST be present on type='set', and MUST be a valid string."
  if (!id) return invalid('SI offer without an id');
  const profile = readAttr(si, 'profile');
  const profileElement = profile ? si.getChildElements().find((child) => child.getNS() === profile) : undefined;
  if (profile !== knownProfile || !profileElement) return { ok: false, error: badProfileError() };
  const feature = si.getChild('feature', NS_FEATURE_NEG);
  if (!feature) return invalid('SI offer without feature negotiation');
  const methods = parseFeatureOffer(feature, STREAM_METHOD_FIELD);
  if (!methods.ok) return methods;
  const mimeType = readAttr(si, 'mime-type')?.trim() || DEFAULT_MIME_TYPE;
  return parsed({ id, mimeType, profile, profileElement, methods: methods.value });
}

/**
 * Picks the stream method: the first of ours (in our order of preference) that the offer lists. §3.2:
 * "If none of the stream types are acceptable, or if the profile is not understood, the Receiver MUST
 * reply with a "bad request" error" carrying <no-valid-streams/>.
 */
export function chooseStreamMethod(offered: readonly string[], supported: readonly string[]): ParseResult<string> {
  const method = supported.find((candidate) => offered.includes(candidate));
  return method ? parsed(method) : { ok: false, error: noValidStreamsError() };
}

/**
 * `<si>{profile element?}<feature type=submit/></si>`. §4.1: "When the Receiver accepts a Stream
 * Initiation, the <si/> element SHOULD NOT possess any attributes. The selected stream MUST be in the
 * feature negotiation for the stream. There MUST only be one selected stream."
 */
export function buildSiAccept(options: { method: string; profileElement?: Element }): Element {
  return xml(
    'si',
    { xmlns: NS_SI },
    ...(options.profileElement ? [options.profileElement] : []),
    buildFeatureSubmit({ field: STREAM_METHOD_FIELD, values: [options.method] }),
  );
}

/** An accepted SI as the Sender reads it. */
export interface SiAccept {
  /** The first submitted method. */
  method: string;
  /**
   * All submitted methods. The spec allows one; Spark submits every method it supports (seed 001), so
   * the Sender picks by its own preference among these.
   */
  methods: string[];
  /** The child in `profile`'s namespace, if the Receiver sent one back. */
  profileElement: Element | null;
}

/** Reads an accept; `profile` names the namespace of the profile element to pick up. */
export function parseSiAccept(si: Element, profile: string): ParseResult<SiAccept> {
  if (!si.is('si', NS_SI)) return invalid('not an SI element');
  const feature = si.getChild('feature', NS_FEATURE_NEG);
  if (!feature) return invalid('SI accept without feature negotiation');
  const methods = parseFeatureSubmit(feature, STREAM_METHOD_FIELD);
  if (!methods.ok) return methods;
  const profileElement = si.getChildElements().find((child) => child.getNS() === profile) ?? null;
  return parsed({ method: methods.value[0], methods: methods.value, profileElement });
}

/**
 * §3.2 "If the Receiver rejects the request, they reply with a "forbidden" error"; §4.2: 403, cancel,
 * forbidden, no specific condition. The example carries `<text>Offer Declined</text>`.
 */
export function declineError(text = 'Offer Declined'): StanzaError {
  return stanzaError('forbidden', { type: 'cancel', text });
}

/** §4.2: 400, cancel, bad-request + <si:no-valid-streams/>: "None of the available streams are acceptable." */
export function noValidStreamsError(): StanzaError {
  return stanzaError('bad-request', { type: 'cancel', appCondition: APP_CONDITIONS.siNoValidStreams });
}

/**
 * §4.2: 400, modify, bad-request + <si:bad-profile/>: "The profile is not understood or invalid." (The
 * §3.2 example shows type cancel; the §4.2 table, which is normative, says modify.)
 */
export function badProfileError(): StanzaError {
  return stanzaError('bad-request', { type: 'modify', appCondition: APP_CONDITIONS.siBadProfile });
}

/** How an SI offer ended when the Receiver answered with an error. */
export type SiRefusal = 'declined' | 'no-valid-streams' | 'bad-profile' | 'other';

/** Classifies the Receiver's error on the Sender side (§4.2). */
export function classifySiError(error: StanzaError): SiRefusal {
  if (hasAppCondition(error, APP_CONDITIONS.siNoValidStreams)) return 'no-valid-streams';
  if (hasAppCondition(error, APP_CONDITIONS.siBadProfile)) return 'bad-profile';
  return error.condition === 'forbidden' ? 'declined' : 'other';
}
