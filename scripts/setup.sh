#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks for Ferry's build and tests, then the npm packages.
# Debian packages: prosody and ejabberd (private test servers), chromium (Playwright), python3-slixmpp (interop peer),
# python3-aiohttp (slixmpp's xep_0363 uploads with it: test/interop/http_upload_peer.py),
# socat (benchmark baseline), openssl (test certificates). Electron's binary is not downloaded
# (no network for it here; see ../shared/STACK.md).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in prosody ejabberd chromium python3-slixmpp python3-aiohttp socat openssl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts a system Prosody on 5222; Ferry's tests never use it (they start their own on free ports).
fi
# Debian's ejabberd package starts a system instance (5222/5280, node ejabberd@localhost). Ferry's tests never
# use it: scripts/lib/localEjabberd.mjs runs a private node on free loopback ports. Stop it by its service name.
if command -v systemctl >/dev/null && systemctl is-active --quiet ejabberd 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: stopping the system ejabberd service (tests run their own)"
  $SUDO systemctl stop ejabberd || true
# (`service ejabberd status` runs ejabberdctl, which leaves an epmd daemon behind: look for the system node instead.)
elif command -v service >/dev/null && pgrep -u ejabberd -f beam >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: stopping the system ejabberd service (tests run their own)"
  $SUDO service ejabberd stop || true
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
