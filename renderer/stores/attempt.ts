import { toWireError } from '../api';
import { errorText } from './errorText';

/**
 * Runs one host call for a store: on success clears the store's errorText, on failure puts the
 * error's sentence there. Resolves whether it worked, so forms can keep what the user typed.
 */
export function createAttempt(set: (partial: { errorText: string | null }) => void) {
  return async (call: () => Promise<unknown>): Promise<boolean> => {
    try {
      await call();
      set({ errorText: null });
      return true;
    } catch (error) {
      set({ errorText: errorText(toWireError(error)) });
      return false;
    }
  };
}
