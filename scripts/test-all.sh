#!/usr/bin/env bash
# The whole test suite: type checks, lint, vitest (unit, renderer, integration against a private Prosody),
# the builds, Playwright end to end in Debian Chromium. Ends with one line "N passed, N failed, N skipped, N flaky",
# after naming every flaky test (passed only on a retry), skipped test and failure. Under CI (CI=true) a
# missing interop tool fails its suite instead of skipping it (test/support/requiredTool.ts).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
passed=0; failed=0; skipped=0; failures=(); flaky_names=(); skipped_names=()
step() { # name, command...
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
count_json() { # file, label: adds a vitest/Playwright JSON report's counts and names
  local kind name p f sk fl
  { read -r p f sk fl
    while IFS=$'\t' read -r kind name; do
      case "$kind" in
        flaky) flaky_names+=("$2: $name") ;;
        skipped) skipped_names+=("$2: $name") ;;
        failed) failures+=("$2: $name") ;;
      esac
    done
  } < <(node scripts/lib/countResults.mjs "$1")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${sk:-0}))
  last_failed=${f:-0}
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
count_json .tmp/vitest.json vitest
if [ "$vitest_rc" -ne 0 ] && [ "$last_failed" -eq 0 ]; then failed=$((failed + 1)); failures+=("vitest exited $vitest_rc"); fi

PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json npx playwright test --reporter=list,json
pw_rc=$?
count_json .tmp/playwright.json playwright
if [ "$pw_rc" -ne 0 ] && [ "$last_failed" -eq 0 ]; then failed=$((failed + 1)); failures+=("playwright exited $pw_rc"); fi

[ ${#skipped_names[@]} -gt 0 ] && printf 'skipped: %s\n' "${skipped_names[@]}"
[ ${#flaky_names[@]} -gt 0 ] && printf 'flaky (passed only on a retry): %s\n' "${flaky_names[@]}"
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "${passed} passed, ${failed} failed, ${skipped} skipped, ${#flaky_names[@]} flaky"
[ "$failed" -eq 0 ]
