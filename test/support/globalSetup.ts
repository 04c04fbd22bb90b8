import { ensureTestCa } from '../../scripts/lib/localProsody.mjs';
import { resolve } from 'node:path';

/**
 * Makes the private test CA before any worker starts, and points NODE_EXTRA_CA_CERTS at it: Node reads
 * that variable only at process start, and @xmpp/client has no option for a private CA (DESIGN.md).
 * Workers are forked after this runs, so they inherit the variable.
 */
export default function setup(): void {
  const { caPath } = ensureTestCa(resolve('.tmp/test-ca'));
  process.env.NODE_EXTRA_CA_CERTS ??= caPath;
  process.env.FERRY_TEST_CA_DIR ??= resolve('.tmp/test-ca');
}
