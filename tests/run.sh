#!/usr/bin/env bash
# Run the test suite: sets up .venv and the jars on first use (via spark-submit.sh --setup),
# then runs pytest with any arguments given, e.g. tests/run.sh -k ingest -x
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/spark-submit.sh" --setup
VENV="${CORPUSFORGE_VENV:-$ROOT/.venv}"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
