#!/usr/bin/env bash
# ./spark-submit.sh <job> [job args]   — run a corpusforge job with spark-submit.
# MASTER defaults to local[*]; set MASTER=spark://…, yarn or k8s://… for a cluster.
# First use builds what it needs: a virtualenv (.venv), the package zip for --py-files and
# the Delta Lake / Spark NLP jars (resolved once with Maven into ~/.cache/corpusforge/jars).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${CORPUSFORGE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

usage() {
  echo "usage: ./spark-submit.sh <job> [--conf FILE] [--warehouse DIR] [job options]"
  echo "       ./spark-submit.sh --setup     (only build .venv and fetch the jars)"
  echo "jobs: $(cd "$ROOT/jobs" && ls *.py | sed 's/\.py$//' | tr '\n' ' ')"
  echo "      ./spark-submit.sh <job> --help   for a job's options"
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
JOB="$1"; shift
SETUP_ONLY=0
if [ "$JOB" = "--setup" ]; then
  SETUP_ONLY=1   # build the virtualenv and fetch the jars, run nothing (used by tests/run.sh)
elif [ ! -f "$ROOT/jobs/$JOB.py" ]; then
  echo "spark-submit.sh: no job named '$JOB'" >&2; usage >&2; exit 2
fi

if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  echo "spark-submit.sh: Java is not installed (Spark needs Java 17); install OpenJDK 17 or set JAVA_HOME" >&2
  exit 2
fi

# 1. virtualenv, rebuilt when pyproject.toml changes
STAMP="$VENV/.corpusforge-installed"
if [ ! -x "$VENV/bin/python" ] || [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "spark-submit.sh: setting up $VENV (first run only)" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]" >&2
  touch "$STAMP"
fi

# 2. the config file: shipped to the driver and executors with --files
CONF="$ROOT/conf/local.yaml"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --conf) CONF="${args[$((i + 1))]:-$CONF}" ;;
    --conf=*) CONF="${args[$i]#--conf=}" ;;
  esac
done
[ -f "$CONF" ] || { echo "spark-submit.sh: config file '$CONF' does not exist (hint: --conf conf/local.yaml)" >&2; exit 2; }

# 3. jars (Maven-resolved and cached) or Spark's --packages, as the config says
JAR_ARGS=()
JARS="$("$VENV/bin/python" -m corpusforge.jars "$CONF")"
if [ -n "$JARS" ]; then
  JAR_ARGS=(--jars "$JARS")
else
  PACKAGES="$("$VENV/bin/python" -c 'import sys; from corpusforge.config import load_config
c = load_config(sys.argv[1]).spark.jars
print(",".join(c.packages) if c.mode == "packages" else "")' "$CONF")"
  [ -z "$PACKAGES" ] || JAR_ARGS=(--packages "$PACKAGES")
fi

[ "$SETUP_ONLY" = 0 ] || exit 0

# 4. the package as a zip for --py-files, so executors on other machines can import it
mkdir -p "$ROOT/build"
"$VENV/bin/python" - "$ROOT/lib" "$ROOT/build/corpusforge.zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
tmp = out + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk(os.path.join(src, "corpusforge")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in sorted(files):
            if not f.endswith(".pyc"):
                path = os.path.join(base, f)
                z.write(path, os.path.relpath(path, src))
os.replace(tmp, out)
PY

export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$VENV/bin/python}"
export PYSPARK_DRIVER_PYTHON="${PYSPARK_DRIVER_PYTHON:-$VENV/bin/python}"

exec "$VENV/bin/spark-submit" \
  --master "${MASTER:-local[*]}" \
  --driver-memory "${DRIVER_MEMORY:-4g}" \
  "${JAR_ARGS[@]}" \
  --py-files "$ROOT/build/corpusforge.zip" \
  --files "$CONF" \
  --conf spark.ui.showConsoleProgress=false \
  --conf "spark.driver.extraJavaOptions=-Dlog4j.configurationFile=file:$ROOT/conf/log4j2.properties" \
  "$ROOT/jobs/$JOB.py" "$@"
