"""spark-submit entry point of the `lineage` job (also `trace`) (all logic lives in corpusforge.cli)."""

import sys

from corpusforge.cli import main

if __name__ == "__main__":
    sys.exit(main(["lineage", *sys.argv[1:]]))
