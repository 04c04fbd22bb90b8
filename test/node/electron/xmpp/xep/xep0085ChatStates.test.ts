import xml from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import {
  chatStateElement, COMPOSING_INTERVAL_MS, composingDue, isStateOnly, NS_CHATSTATES, readChatState,
} from '../../../../../electron/xmpp/xep/xep0085ChatStates';

const msg = (attrs: Record<string, string>, ...children: ReturnType<typeof xml>[]) =>
  xml('message', { from: 'bob@example.org/phone', type: 'chat', ...attrs }, ...children);
const state = (name: string, ns = NS_CHATSTATES) => xml(name, { xmlns: ns });

describe('readChatState (XEP-0085)', () => {
  it.each(['active', 'composing', 'paused', 'inactive', 'gone'])('reads <%s/>', (name) => {
    expect(readChatState(msg({}, state(name)))).toBe(name);
  });
  it.each([
    ['no state', msg({}, xml('body', {}, 'hi'))],
    ['another namespace', msg({}, state('composing', 'urn:example'))],
    ['an unknown element in the namespace', msg({}, state('shouting'))],
    ['two different states', msg({}, state('composing'), state('paused'))],
    ['an error message', msg({ type: 'error' }, state('composing'))],
    ['a groupchat message', msg({ type: 'groupchat' }, state('composing'))],
  ])('reads nothing from %s', (_name, stanza) => {
    expect(readChatState(stanza)).toBeNull();
  });
});

describe('isStateOnly (XEP-0085 standalone notifications)', () => {
  it('a state without a body is not a chat message', () => {
    expect(isStateOnly(msg({}, state('composing')))).toBe(true);
  });
  it('a body with <active/> is a chat message', () => {
    expect(isStateOnly(msg({}, xml('body', {}, 'hi'), state('active')))).toBe(false);
  });
});

describe('composing throttle', () => {
  it('sends the first one and then at most one per interval', () => {
    expect(composingDue(null, 1_000)).toBe(true);
    expect(composingDue(1_000, 1_000 + COMPOSING_INTERVAL_MS - 1)).toBe(false);
    expect(composingDue(1_000, 1_000 + COMPOSING_INTERVAL_MS)).toBe(true);
  });
  it('builds the element', () => {
    expect(chatStateElement('paused').toString()).toBe(`<paused xmlns="${NS_CHATSTATES}"/>`);
  });
});
