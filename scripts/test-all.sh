#!/usr/bin/env bash
# The whole test suite: type checks, lint, vitest (unit, renderer, integration against a private Prosody),
# the builds, Playwright end to end in Debian Chromium. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
passed=0; failed=0; failures=()
step() { # name, command...
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
count_json() { # file: adds vitest/playwright JSON counts
  node scripts/lib/countResults.mjs "$1"
}

step "tsc shared" npx tsc -p tsconfig.shared.json
step "tsc renderer" npx tsc -p tsconfig.renderer.json
step "tsc node" npx tsc -p tsconfig.node.json
step "tsc tests" npx tsc -p tsconfig.json
step "eslint" npx eslint --max-warnings 0 .
step "build" npm run build --silent

rm -f .tmp/vitest.json .tmp/playwright.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
vitest_rc=$?
read -r vp vf < <(count_json .tmp/vitest.json)
passed=$((passed + vp)); failed=$((failed + vf))
if [ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); failures+=("vitest exited $vitest_rc"); fi

PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json npx playwright test --reporter=list,json
pw_rc=$?
read -r pp pf < <(count_json .tmp/playwright.json)
passed=$((passed + pp)); failed=$((failed + pf))
if [ "$pw_rc" -ne 0 ] && [ "$pf" -eq 0 ]; then failed=$((failed + 1)); failures+=("playwright exited $pw_rc"); fi

[ ${#failures[@]} -gt 0 ] && printf 'failed step: %s\n' "${failures[@]}"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
