import { serverMethod } from '../serverMethod';
import type { ServerMethod, UploadServiceInfo } from '../types';
import { runHttpUpload } from './httpUploadSender';

/**
 * XEP-0363 HTTP upload as an entry of the method table: what Conversations, Dino and Gajim send today, and
 * the way to reach a peer that is offline. `service` is the account server's upload service (found by
 * disco, or named by the user), cached by the caller per session.
 */
export function createHttpUploadMethod(deps: { service(): Promise<UploadServiceInfo | null> }): ServerMethod {
  return serverMethod({ name: 'http-upload', priority: 20, service: deps.service, run: runHttpUpload });
}
