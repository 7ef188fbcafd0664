#!/usr/bin/env bash
# The Node lines `npm test` runs the tests on, from REVOKE_TEST_NODE_LINES: "current 24" (the
# default: the Node that started it, then Node 24 LTS from scripts/node24.sh), "current" (one
# line, quicker) or "24". Prints them space-separated; 24 is dropped beside "current" when the
# current Node is already 24, so no line runs twice.
set -euo pipefail
requested=${REVOKE_TEST_NODE_LINES:-current 24}
current_major=$(node -p 'process.versions.node.split(".")[0]')
lines=()
for line in $requested; do
  case $line in
    current) ;;
    24) [[ $current_major == 24 && " $requested " == *" current "* ]] && continue ;;
    *)
      echo "REVOKE_TEST_NODE_LINES: no Node line '$line': use current, 24, or both ('current 24')" >&2
      exit 1
      ;;
  esac
  [[ " ${lines[*]} " == *" $line "* ]] || lines+=("$line")
done
echo "${lines[*]}"
