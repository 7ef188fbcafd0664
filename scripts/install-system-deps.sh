#!/usr/bin/env bash
# Installs the Debian packages the integration tests need (a Samba AD domain controller, and
# Chromium for the browser test in the Agents Playground; playwright-core drives /usr/bin/chromium;
# PostgreSQL server binaries, which the tests run as a throw-away cluster: test/support/postgres.ts).
# Idempotent and quick when everything is present.
set -euo pipefail
packages=(samba samba-ad-provision samba-dsdb-modules samba-vfs-modules chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-system-deps: run as root, or: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
