import { resolve } from 'node:path';
import { ensureTestCa, startProsody, type LocalProsody, type ProsodyOptions } from '../../scripts/lib/localProsody.mjs';

export type { LocalProsody };

/** A private Prosody whose certificate is signed by the CA that globalSetup made trusted. */
export async function startTestProsody(options: ProsodyOptions = {}): Promise<LocalProsody> {
  const ca = ensureTestCa(process.env.FERRY_TEST_CA_DIR ?? resolve('.tmp/test-ca'));
  return await startProsody({ ca, ...options });
}
