import { Parser, type Element } from '@xmpp/xml';

/**
 * Parses one XML element from a spec example with the same parser @xmpp/client uses, so fixtures are
 * Elements exactly as they arrive from a stream. Throws on malformed XML or when there is not exactly one.
 */
export function parseXml(text: string): Element {
  const parser = new Parser();
  const elements: Element[] = [];
  let failure: Error | null = null;
  parser.on('element', (element: Element) => elements.push(element));
  parser.on('error', (error: Error) => { failure = error; });
  parser.write(`<fixture>${text.trim()}</fixture>`);
  if (failure) throw failure;
  if (elements.length !== 1) throw new Error(`expected one element, parsed ${elements.length}`);
  return elements[0];
}
