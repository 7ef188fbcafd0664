#!/usr/bin/env bash
# The whole test suite: system packages the integration tests need, build (strict type-check),
# lint and format check, then every test. `npm test` runs this; so does CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm run build
npm run lint
# The HTTPS stand-ins use a throw-away test CA; node reads NODE_EXTRA_CA_CERTS only at start-up, so
# the CA is created (from the build output) before mocha starts.
NODE_EXTRA_CA_CERTS="$(node dist/test/support/entra-standin/make-ca.js)"
export NODE_EXTRA_CA_CERTS
npx mocha "$@"
