import type { EventName, RequestName } from './contract';

/** Every IPC channel is prefixed so the main boundary can reject anything else. */
export const CHANNEL_PREFIX = 'ferry:';

export function requestChannel(name: RequestName): string {
  return `${CHANNEL_PREFIX}${name}`;
}

export function eventChannel(name: EventName): string {
  return `${CHANNEL_PREFIX}event:${name}`;
}

/**
 * Electron only: the preload tells the main process the path webUtils gave for a dropped File, so the
 * host may allow that path in transfer.send (electron/app/pathGrants.ts). Not a request channel.
 */
export const DROPPED_PATH_CHANNEL = `${CHANNEL_PREFIX}drop:path`;

/** The name inside a request channel, or null when the channel is not ours. */
export function requestNameOf(channel: string): string | null {
  if (!channel.startsWith(CHANNEL_PREFIX) || channel.startsWith(`${CHANNEL_PREFIX}event:`) || channel === DROPPED_PATH_CHANNEL) return null;
  return channel.slice(CHANNEL_PREFIX.length);
}
