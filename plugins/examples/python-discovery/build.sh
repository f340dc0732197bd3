#!/usr/bin/env bash
# Tests the plugin's logic natively, then builds it as a component:
#   ./build.sh [OUT.wasm]
# Needs componentize-py 0.25.1 on PATH (or COMPONENTIZE_PY=/path/to/it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/python-discovery.wasm}")"
tool="${COMPONENTIZE_PY:-componentize-py}"
cd "$here"
python3 -m unittest -q test_launchers
"$tool" -d ../../../wit -w command-discovery componentize app -o "$out"
echo "built $out"
