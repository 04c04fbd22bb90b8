import { FerryError } from '../../../shared/ipc/wireError';

/**
 * Runs work with a time limit: rejects with FerryError('timeout') when it has not settled after ms.
 * A late rejection of the work is swallowed so it cannot surface as an unhandled rejection.
 */
export async function withDeadline<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  const running = work();
  running.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FerryError('timeout', `${what} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}
