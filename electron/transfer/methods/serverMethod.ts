import type { OutgoingHandle, ServerMethod, ServerMethodName, ServerSendContext, UploadServiceInfo } from './types';

/**
 * A server-stored method from its sender (`run` ends the record in every case): the cancel of the user ends
 * the record "cancelled" first, then stops the upload; the service's stop aborts it as well.
 */
export function serverMethod(entry: {
  name: ServerMethodName;
  priority: number;
  service(): Promise<UploadServiceInfo | null>;
  run(ctx: ServerSendContext): Promise<void>;
}): ServerMethod {
  return {
    name: entry.name,
    priority: entry.priority,
    service: entry.service,
    send(ctx: ServerSendContext): OutgoingHandle {
      const abort = new AbortController();
      ctx.signal.addEventListener('abort', () => abort.abort(), { once: true });
      const done = entry.run({ ...ctx, signal: abort.signal });
      return {
        done,
        cancelByUser() {
          ctx.record.end('cancelled', { reason: 'cancelled' });
          abort.abort();
        },
      };
    },
  };
}
