#!/usr/bin/env bash
# EMR bootstrap action, run on every node: Java 17, Python 3.11 and the corpusforge checkout
# with its virtualenv at the same path everywhere (executors run its Python).
#   bootstrap.sh s3://my-bucket/corpusforge/corpusforge-src.tar.gz
set -euo pipefail
BUNDLE="${1:?usage: bootstrap.sh s3://.../corpusforge-src.tar.gz}"
CHECKOUT=/home/hadoop/corpusforge

sudo dnf install -y python3.11 java-17-amazon-corretto-headless
mkdir -p "$CHECKOUT"
aws s3 cp "$BUNDLE" - | tar -xz -C "$CHECKOUT"
cd "$CHECKOUT"
# Builds .venv with the pinned dependencies; spark.jars.mode: packages resolves at submit time.
PYTHON=python3.11 ./spark-submit.sh --setup --conf conf/cluster.yaml
