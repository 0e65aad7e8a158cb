#!/usr/bin/env bash
# ./spark-submit.sh <job> [job args]   — run a corpusforge job with spark-submit.
# MASTER defaults to local[*]; set MASTER=spark://…, yarn or k8s://… for a cluster.
# First use builds what it needs: a virtualenv (.venv), the package zip for --py-files and
# the Delta Lake / Spark NLP jars (resolved once with Maven into ~/.cache/corpusforge/jars).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${CORPUSFORGE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-}"   # the interpreter .venv is built from; unset: lib/corpusforge/interpreters.py chooses

usage() {
  echo "usage: ./spark-submit.sh <job> [--conf FILE] [--warehouse DIR] [job options]"
  echo "       ./spark-submit.sh --setup     (only build .venv and fetch the jars)"
  echo "jobs: $(cd "$ROOT/jobs" && ls -- *.py | sed 's/\.py$//' | tr '\n' ' ')"
  echo "      (trace is another name for lineage)"
  echo "      ./spark-submit.sh <job> --help   for a job's options"
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
JOB="$1"; shift
[ "$JOB" = "trace" ] && JOB=lineage   # the issue's name for it; jobs/trace.py would shadow stdlib trace
SETUP_ONLY=0
if [ "$JOB" = "--setup" ]; then
  SETUP_ONLY=1   # build the virtualenv and fetch the jars, run nothing (used by tests/run.sh)
elif [ ! -f "$ROOT/jobs/$JOB.py" ]; then
  echo "spark-submit.sh: no job named '$JOB'" >&2; usage >&2; exit 2
fi

HELP=0
for arg in "$@"; do case "$arg" in -h|--help) HELP=1 ;; esac; done

# A job's --help needs no Java; everything else does (Maven, Spark). The version is checked below.
if [ "$HELP" = 0 ] && ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  echo "corpusforge $JOB: error: [session] Java is not installed: no java on PATH and JAVA_HOME is not set (Spark needs Java 17) (hint: install OpenJDK 17 (Debian: apt-get install openjdk-17-jdk-headless) and/or point JAVA_HOME at it)" >&2
  exit 2
fi

# 1. virtualenv, rebuilt when pyproject.toml changes
STAMP="$VENV/.corpusforge-installed"
if [ ! -x "$VENV/bin/python" ] || [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  if [ -z "$PYTHON" ]; then
    # Every python3.11 found that can build a virtualenv; the first with libpython linked in
    # (faster Python stages), else the first on the PATH.
    ANY="$(command -v python3.11 || command -v python3 || true)"
    [ -n "$ANY" ] || { echo "spark-submit.sh: no python3.11 or python3 on the PATH (hint: install Python 3.11 or set PYTHON)" >&2; exit 2; }
    PYTHON="$("$ANY" "$ROOT/lib/corpusforge/interpreters.py")" || PYTHON="$ANY"
  fi
  echo "spark-submit.sh: setting up $VENV with $PYTHON (first run only)" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e "${ROOT}[test]" >&2
  touch "$STAMP"
fi

# A job's options and examples, printed by the job's own parser without starting Spark.
[ "$HELP" = 0 ] || exec "$VENV/bin/python" -m corpusforge.cli "$JOB" "$@"

# Mistakes that need no Spark to find (Java version, config, inputs, budget, warehouse
# format) end here with one line and a hint, before a JVM starts.
if [ "$SETUP_ONLY" = 0 ]; then
  "$VENV/bin/python" -m corpusforge.preflight "$JOB" "$@" || exit $?
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

# 3. jars (Maven-resolved and cached) or Spark's --packages, as the config says;
#    CORPUSFORGE_JARS_PROVIDED=1: already on the classpath (the image, deploy/image/)
JAR_ARGS=()
JARS=""
[ -n "${CORPUSFORGE_JARS_PROVIDED:-}" ] || JARS="$("$VENV/bin/python" -m corpusforge.jars "$CONF")"
if [ -n "${CORPUSFORGE_JARS_PROVIDED:-}" ]; then
  :
elif [ -n "$JARS" ]; then
  JAR_ARGS=(--jars "$JARS")
else
  PACKAGES="$("$VENV/bin/python" -c 'import sys; from corpusforge.config import load_config
c = load_config(sys.argv[1]).spark.jars
print(",".join(c.packages) if c.mode == "packages" else "")' "$CONF")"
  [ -z "$PACKAGES" ] || JAR_ARGS=(--packages "$PACKAGES")
fi

[ "$SETUP_ONLY" = 0 ] || exit 0

# 4. the package as a zip for --py-files, so executors on other machines can import it
#    (named by its content; old versions are pruned: see lib/corpusforge/package_zip.py).
PYZIP="$("$VENV/bin/python" -P "$ROOT/lib/corpusforge/package_zip.py" "$ROOT/lib" "$ROOT/build")"

export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$VENV/bin/python}"
# spark-submit pipes the driver's output into its own stdout: tell the driver whether that
# reaches a terminal, so it draws progress there (see cli.progress_console).
if [ -t 1 ]; then
  export CORPUSFORGE_TERMINAL="${CORPUSFORGE_TERMINAL:-1}"
  COLUMNS="${COLUMNS:-$(tput cols 2>/dev/null || true)}"; [ -n "$COLUMNS" ] && export COLUMNS
fi
export PYSPARK_DRIVER_PYTHON="${PYSPARK_DRIVER_PYTHON:-$VENV/bin/python}"

exec "$VENV/bin/spark-submit" \
  --master "${MASTER:-local[*]}" \
  --driver-memory "${DRIVER_MEMORY:-4g}" \
  "${JAR_ARGS[@]}" \
  --py-files "$PYZIP" \
  --files "$CONF" \
  --conf spark.ui.showConsoleProgress=false \
  --conf "spark.driver.extraJavaOptions=-Dlog4j.configurationFile=file:$ROOT/conf/log4j2.properties" \
  "$ROOT/jobs/$JOB.py" "$@"
