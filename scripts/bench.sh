#!/usr/bin/env bash
# `npm run bench`: compiles into a private directory (so it never wipes dist/ under a running test),
# trusts the Graph stand-in's throw-away CA, and runs bench/run.ts. Arguments pick benchmarks:
# single, many, bot (default: all). Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tmp/bench-dist
npx tsc -p tsconfig.json --outDir "$out"
NODE_EXTRA_CA_CERTS="$(node "$out/test/support/entra-standin/make-ca.js")"
export NODE_EXTRA_CA_CERTS
node "$out/bench/run.js" "$@"
