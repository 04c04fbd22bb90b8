import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestAcksWhileBusy, type AckClient } from '../../../../electron/xmpp/ackRequests';

function fakeClient(queued: number, enabled = true) {
  const sent: string[] = [];
  let offline: (() => void) | null = null;
  const client: AckClient = {
    streamManagement: { enabled, outbound_q: new Array(queued).fill({}) },
    send: async (element) => { sent.push(element.toString()); },
    on: (_event, listener) => { offline = listener; },
  };
  return { client, sent, goOffline: () => offline?.() };
}

describe('requestAcksWhileBusy (XEP-0198 §4 <r/>)', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('asks the server for an ack every interval while stanzas wait for one', () => {
    vi.useFakeTimers();
    const { client, sent } = fakeClient(500);
    const dispose = requestAcksWhileBusy(client, 1000);
    vi.advanceTimersByTime(3500);
    expect(sent).toEqual(Array(3).fill('<r xmlns="urn:xmpp:sm:3"/>'));
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
