/** The only error shape that crosses IPC: a stable code and a sentence for the user. */
export interface WireError {
  code: WireErrorCode;
  message: string;
}

export type WireErrorCode =
  | 'bad-request'
  | 'not-authorized'
  | 'cannot-connect'
  | 'tls-required'
  | 'not-connected'
  | 'timeout'
  | 'not-found'
  | 'internal';

const CODES: readonly WireErrorCode[] = [
  'bad-request', 'not-authorized', 'cannot-connect', 'tls-required', 'not-connected', 'timeout', 'not-found', 'internal',
];

/** An Error that carries a WireError code through the core. */
export class FerryError extends Error {
  constructor(readonly code: WireErrorCode, message: string) {
    super(message);
    this.name = 'FerryError';
  }
}

/** Turns anything thrown into the wire shape; unknown errors keep their message under 'internal'. */
export function toWireError(error: unknown): WireError {
  if (error instanceof FerryError) return { code: error.code, message: error.message };
  if (isWireError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.message === 'string' && CODES.includes(record.code as WireErrorCode);
}
