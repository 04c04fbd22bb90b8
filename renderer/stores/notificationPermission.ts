/**
 * The browser's notification permission, asked for on the first need and once per page: both notifiers
 * (offers, ended transfers) go through here, so the user sees one prompt, and a "no" is never asked again.
 */

/** The part of the browser's Notification class the permission needs (a fake in tests). */
export interface PermissionSource {
  readonly permission: string;
  requestPermission?: () => Promise<string>;
}

let asking: Promise<boolean> | null = null;

/** Runs show now when permitted; when not yet decided, asks (the first time only) and runs it on a yes. */
export function whenPermitted(source: PermissionSource, show: () => void): void {
  if (source.permission === 'granted') { show(); return; }
  if (source.permission !== 'default' || !source.requestPermission || asking) return;
  asking = source.requestPermission().then((answer) => answer === 'granted', () => false);
  void asking.then((isGranted) => { if (isGranted) show(); });
}

/** Tests: a new page, which has not asked yet. */
export function forgetPermissionAsked(): void {
  asking = null;
}
