/** Shared set-up of the chat renderer tests (receipts, typing): the peer, a message fixture, the bridge. */
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import type { BareJid } from '../../../shared/model/jid';
import type { ChatMessage } from '../../../shared/model/session';
import { useFakeBridge, type FakeBridge } from './fakeBridge';

export const PEER = 'bob@localhost';

/** An outgoing message to PEER, not yet delivered; overrides win. */
export function chatMessage(id: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return { id, peer: PEER as BareJid, direction: 'outgoing', from: 'alice@localhost/ferry', body: `body ${id}`, at: 1_000, deliveredAt: null, ...overrides };
}

/**
 * Registers the file's hooks: a fresh fake bridge that answers chat.state before each test, and cleanup
 * with real timers after. Returns a getter for the current bridge.
 */
export function useChatTestBridge(): () => FakeBridge {
  let bridge: FakeBridge;
  beforeEach(() => {
    bridge = useFakeBridge();
    bridge.handle('chat.state', () => undefined);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });
  return () => bridge;
}
