#!/usr/bin/env bash
# The whole test suite: system packages the integration tests need, build (strict type-check),
# lint and format check, then every test. `npm test` runs this; so does CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm run build
npm run lint
npx mocha "$@"
