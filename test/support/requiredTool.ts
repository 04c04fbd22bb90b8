/**
 * Skip guards for suites that need an outside tool (Prosody, slixmpp, ejabberd, a build). On a developer
 * machine a missing tool skips its suite (and the closing line of scripts/test-all.sh names it); under CI
 * (CI=true) it fails the test file instead, so a broken CI image can never pass by skipping the interop suites.
 */

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * For describe.skipIf / it.skipIf: true when a tool is missing outside CI; under CI throws, naming what is
 * missing, so the file fails. `tools` maps a tool's name (with how to get it) to whether it is present.
 */
export function skipUnlessPresent(tools: Record<string, boolean>, env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = Object.entries(tools).filter(([, isPresent]) => !isPresent).map(([name]) => name);
  if (missing.length === 0) return false;
  if (isCi(env)) {
    throw new Error(`missing under CI: ${missing.join(', ')}. A missing interop tool fails the run under CI instead of skipping its suite.`);
  }
  return true;
}
