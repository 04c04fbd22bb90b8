import { serverMethod } from '../serverMethod';
import type { ServerMethod, UploadServiceInfo } from '../types';
import { runKontalkUpload } from './kontalkSender';

/** Kontalk upload (seed 002) as an entry of the method table: after XEP-0363, when the server offers it. */
export function createKontalkMethod(deps: { service(): Promise<UploadServiceInfo | null> }): ServerMethod {
  return serverMethod({ name: 'kontalk', priority: 10, service: deps.service, run: runKontalkUpload });
}
