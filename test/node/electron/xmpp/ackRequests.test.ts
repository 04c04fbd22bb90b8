import { afterEach, describe, expect, it, vi } from 'vitest';
import xml, { type Element } from '@xmpp/xml';
import { ACK_RETRY_MS, requestAcksWhileBusy, type AckClient } from '../../../../electron/xmpp/ackRequests';

const R = '<r xmlns="urn:xmpp:sm:3"/>';

function fakeClient(queued: number, enabled = true) {
  const sent: string[] = [];
  const listeners: { offline: (() => void)[]; nonza: ((element: Element) => void)[] } = { offline: [], nonza: [] };
  const client: AckClient = {
    streamManagement: { enabled, outbound_q: new Array(queued).fill({}) },
    send: async (element) => { sent.push(element.toString()); },
    on: ((event: 'offline' | 'nonza', listener: never) => { listeners[event].push(listener); }) as AckClient['on'],
  };
  return {
    client, sent,
    goOffline: () => listeners.offline.forEach((l) => l()),
    answer: (h: number) => listeners.nonza.forEach((l) => l(xml('a', { xmlns: 'urn:xmpp:sm:3', h: String(h) }))),
  };
}

describe('requestAcksWhileBusy (XEP-0198 §4 <r/>)', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('sends no second <r/> while the first is unanswered, however long stanzas wait (a throttled server is not flooded)', () => {
    vi.useFakeTimers();
    const { client, sent } = fakeClient(500);
    const dispose = requestAcksWhileBusy(client, 50);
    vi.advanceTimersByTime(ACK_RETRY_MS - 100);
    expect(sent).toEqual([R]);
    dispose();
  });

  it('asks again at the next interval once the server answered with <a/>, while stanzas still wait', () => {
    vi.useFakeTimers();
    const { client, sent, answer } = fakeClient(500);
    const dispose = requestAcksWhileBusy(client, 50);
    vi.advanceTimersByTime(60);
    expect(sent).toEqual([R]);
    answer(10);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([R, R]);
    answer(20);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([R, R, R]);
    dispose();
  });

  it('repeats an unanswered <r/> only after a backoff that doubles (2 s, 4 s, …)', () => {
    vi.useFakeTimers();
    const { client, sent } = fakeClient(5);
    const dispose = requestAcksWhileBusy(client, 50);
    vi.advanceTimersByTime(50); // first ask at t=50
    expect(sent.length).toBe(1);
    vi.advanceTimersByTime(ACK_RETRY_MS); // t=2050: retry after 2 s
    expect(sent.length).toBe(2);
    vi.advanceTimersByTime(ACK_RETRY_MS); // t=4050: the next waits 4 s
    expect(sent.length).toBe(2);
    vi.advanceTimersByTime(ACK_RETRY_MS);
    expect(sent.length).toBe(3);
    dispose();
  });

  it('stays quiet when nothing waits, when stream management is off, and after going offline', () => {
    vi.useFakeTimers();
    const idle = fakeClient(0);
    requestAcksWhileBusy(idle.client, 1000);
    const off = fakeClient(10, false);
    requestAcksWhileBusy(off.client, 1000);
    const gone = fakeClient(10);
    requestAcksWhileBusy(gone.client, 1000);
    gone.goOffline();
    vi.advanceTimersByTime(5000);
    expect([idle.sent, off.sent, gone.sent]).toEqual([[], [], []]);
  });
});
