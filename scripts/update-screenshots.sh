#!/usr/bin/env bash
# Refreshes the card screenshots README shows: runs the browser end-to-end test (which saves
# them under .tmp/screenshots/) and copies them to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
npx mocha --no-config --exit --timeout 90000 dist/test/teams/browser/agents-playground.test.js
mkdir -p docs/screenshots
cp .tmp/screenshots/[0-9]-*.png docs/screenshots/
ls -l docs/screenshots
