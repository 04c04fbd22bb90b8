// XEP-0004: Data Forms — https://xmpp.org/extensions/xep-0004.html (version 2.13.1)
// Only what discovery needs: reading result forms (XEP-0128 extended disco info, XEP-0363 max-file-size).
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

export const NS_DATA_FORMS = 'jabber:x:data';

/** One form field: var, type (may be empty) and its values in document order. */
export interface DataFormField {
  var: string;
  type: string;
  values: string[];
}

/** A form as data: its type attribute and fields, with the FORM_TYPE value pulled out (XEP-0068). */
export interface DataForm {
  type: string;
  formType: string | null;
  fields: DataFormField[];
}

/** Reads every `<x xmlns='jabber:x:data'/>` child of parent. */
export function parseDataForms(parent: Element): DataForm[] {
  return parent.getChildren('x', NS_DATA_FORMS).map(parseDataForm);
}

/** Reads one `<x xmlns='jabber:x:data'/>`. */
export function parseDataForm(x: Element): DataForm {
  const fields = x.getChildren('field').map((field) => ({
    var: String(field.attrs.var ?? ''),
    type: String(field.attrs.type ?? ''),
    values: field.getChildren('value').map((v) => v.text()),
  }));
  const formTypeField = fields.find((f) => f.var === 'FORM_TYPE');
  return { type: String(x.attrs.type ?? ''), formType: formTypeField?.values[0] ?? null, fields };
}

/** The first value of a field, or null when the field is absent or empty. */
export function fieldValue(form: DataForm, name: string): string | null {
  return form.fields.find((f) => f.var === name)?.values[0] ?? null;
}

/** Builds a result form; FORM_TYPE, when given, is written first as a hidden field (XEP-0068 §3). */
export function buildDataForm(form: DataForm): Element {
  const fields = form.fields.filter((f) => f.var !== 'FORM_TYPE');
  const formType = form.formType === null ? [] : [
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, form.formType)),
  ];
  return xml('x', { xmlns: NS_DATA_FORMS, type: form.type || 'result' }, ...formType,
    ...fields.map((f) => xml('field', { var: f.var, ...(f.type ? { type: f.type } : {}) },
      ...f.values.map((v) => xml('value', {}, v)))));
}
