/**
 * XEP-0020: Feature Negotiation, version 1.6 (2018-03-07)
 * https://xmpp.org/extensions/xep-0020.html
 *
 * `<feature/>` wrapping a XEP-0004 data form: an offer (type "form", options per field) and the answer
 * (type "submit", chosen values). Only the single-field use of XEP-0095 stream-method is needed, but
 * the field name is a parameter.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';

export const NS_FEATURE_NEG = 'http://jabber.org/protocol/feature-neg';
import { NS_DATA_FORMS } from './xep0004DataForms';

/** One negotiable field and its options, in the offerer's order of preference. */
export interface FeatureOffer {
  field: string;
  options: readonly string[];
  /** XEP-0095/0096 examples use list-single; Spark sends list-multi. */
  fieldType?: 'list-single' | 'list-multi';
}

/**
 * §2: the initiator sends "a single <feature/> element containing a data form of type "form" which
 * defines the available options for one or more features. Each feature is represented as an x-data
 * "field"."
 */
export function buildFeatureOffer(offer: FeatureOffer): Element {
  if (offer.options.length === 0) throw new RangeError(`feature ${offer.field} needs at least one option`);
  return xml(
    'feature',
    { xmlns: NS_FEATURE_NEG },
    xml(
      'x',
      { xmlns: NS_DATA_FORMS, type: 'form' },
      xml(
        'field',
        { var: offer.field, type: offer.fieldType ?? 'list-single' },
        ...offer.options.map((option) => xml('option', {}, xml('value', {}, option))),
      ),
    ),
  );
}

/** §2: the recipient "SHOULD specify one value for each feature and return a data form of type "submit"". */
export function buildFeatureSubmit(options: { field: string; values: readonly string[] }): Element {
  return xml(
    'feature',
    { xmlns: NS_FEATURE_NEG },
    xml(
      'x',
      { xmlns: NS_DATA_FORMS, type: 'submit' },
      xml('field', { var: options.field }, ...options.values.map((value) => xml('value', {}, value))),
    ),
  );
}

/** The `<field var=…/>` of the feature's form, when the form has the expected type. */
function findField(feature: Element, formType: string, field: string): ParseResult<Element> {
  if (!feature.is('feature', NS_FEATURE_NEG)) return invalid('not a feature-neg element');
  const form = feature.getChild('x', NS_DATA_FORMS);
  if (!form) return invalid('feature without a data form');
  if (readAttr(form, 'type') !== formType) return invalid(`feature form is not of type ${formType}`);
  const found = form.getChildren('field', NS_DATA_FORMS).find((child) => readAttr(child, 'var') === field);
  return found ? parsed(found) : invalid(`no ${field} field`);
}

function textsOf(elements: readonly Element[]): string[] {
  return elements.map((element) => element.getText().trim()).filter((text) => text !== '');
}

/** Reads the options offered for one field, in order, without duplicates. */
export function parseFeatureOffer(feature: Element, field: string): ParseResult<string[]> {
  const found = findField(feature, 'form', field);
  if (!found.ok) return found;
  const options = found.value.getChildren('option', NS_DATA_FORMS);
  const values = textsOf(options.flatMap((option) => option.getChildren('value', NS_DATA_FORMS)));
  const unique = [...new Set(values)];
  return unique.length > 0 ? parsed(unique) : invalid(`no options for ${field}`);
}

/** Reads the value(s) submitted for one field. Usually one; Spark submits several. */
export function parseFeatureSubmit(feature: Element, field: string): ParseResult<string[]> {
  const found = findField(feature, 'submit', field);
  if (!found.ok) return found;
  const values = textsOf(found.value.getChildren('value', NS_DATA_FORMS));
  return values.length > 0 ? parsed([...new Set(values)]) : invalid(`no value submitted for ${field}`);
}
