#!/usr/bin/env bash
# Tests the plugin natively with Node's test runner, then builds it as a
# component with componentize-js (installed into node_modules/ from
# package-lock.json the first time):
#   ./build.sh [OUT.wasm]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/js-discovery.wasm}")"
cd "$here"
if [ ! -x node_modules/.bin/componentize-js ]; then
    npm ci --no-audit --no-fund
fi
node --test discovery.test.js
# The host gives plugins no wasi:http: leave those features out.
node_modules/.bin/componentize-js discovery.js --wit ../../../wit --world-name command-discovery \
    --disable http fetch-event --out "$out"
echo "built $out"
