import { resolve } from 'node:path';
import { ensureTestCa } from '../../scripts/lib/localProsody.mjs';
import { isEjabberdInstalled, startEjabberd, type EjabberdOptions, type LocalEjabberd } from '../../scripts/lib/localEjabberd.mjs';

export type { LocalEjabberd };
export { isEjabberdInstalled };

/** A private ejabberd whose certificate is signed by the CA that globalSetup made trusted. */
export async function startTestEjabberd(options: EjabberdOptions = {}): Promise<LocalEjabberd> {
  const ca = ensureTestCa(process.env.FERRY_TEST_CA_DIR ?? resolve('.tmp/test-ca'));
  return await startEjabberd({ ca, ...options });
}
