import { isRequestName, REQUEST_VALIDATORS, type RequestHandlers, type RequestName } from './contract';
import { toWireError, type WireError } from './wireError';

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: WireError };

/**
 * The one checked entry into the handlers, used by every host: unknown names and payloads that do not
 * match the contract are refused before any handler runs; thrown errors become WireErrors.
 */
export async function dispatchRequest(
  handlers: RequestHandlers,
  name: unknown,
  args: unknown,
): Promise<DispatchResult> {
  if (!isRequestName(name)) {
    return { ok: false, error: { code: 'bad-request', message: `unknown request: ${String(name).slice(0, 80)}` } };
  }
  if (!REQUEST_VALIDATORS[name](args)) {
    return { ok: false, error: { code: 'bad-request', message: `invalid payload for ${name}` } };
  }
  try {
    const handler = handlers[name] as (a: unknown) => unknown;
    const value = await handler(args);
    return { ok: true, value: value ?? null };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}

export type { RequestName };
