import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Worker-side half of the test CA (see globalSetup.ts): NODE_EXTRA_CA_CERTS is read only when a process
 * starts, and vitest's workers may start before globalSetup sets it, so this wraps tls.connect to also
 * trust the test CA (STACK.md: "in-process, for tests only"). @xmpp/tls and @xmpp/starttls call
 * tls.connect on the module object, so they see the wrapper.
 */
const caPath = resolve(process.env.FERRY_TEST_CA_DIR ?? '.tmp/test-ca', 'ca.pem');
const extraCa = readFileSync(caPath, 'utf8');
const originalConnect = tls.connect;
const trustedCa = [...tls.rootCertificates, extraCa];

(tls as { connect: typeof tls.connect }).connect = ((...args: Parameters<typeof tls.connect>) => {
  const [first] = args;
  const options = first as tls.ConnectionOptions | undefined;
  if (typeof options === 'object' && options !== null && !options.ca) {
    return originalConnect({ ...options, ca: trustedCa }, ...(args.slice(1) as []));
  }
  return originalConnect(...args);
}) as typeof tls.connect;
