"""Databricks task entry: run a corpusforge job from this repository's checkout.

A job's ``spark_python_task`` runs this file with the job's arguments (``pipeline --conf
conf/cluster.yaml ...``). It makes the checkout's ``lib/`` importable and its root the
working directory, so the config's relative paths (conf/licenses.yaml, rule packs) resolve
wherever Databricks starts the file.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lib"))
os.chdir(ROOT)

from corpusforge.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
