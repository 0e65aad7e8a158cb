"""Command line: ``corpusforge <job> [options]`` (also what ``jobs/<job>.py`` call)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from typing import Any

import yaml
from rich.console import Console

from corpusforge.config import DEFAULT_CONFIG, Config, load_config
from corpusforge.errors import CorpusforgeError

EXAMPLES = {
    "ingest": """examples:
  ./spark-submit.sh ingest
  ./spark-submit.sh ingest --input framework:samples/framework --input dir:samples/github
  ./spark-submit.sh ingest --input npm:is-number@7.0.0 --input text:samples/text/docs.jsonl
  ./spark-submit.sh ingest --input stack:data/the-stack-ts.parquet --warehouse /data/wh""",
    "filter": """examples:
  ./spark-submit.sh filter
  ./spark-submit.sh filter --set filter.quality.max_line_length=400
  ./spark-submit.sh filter --set filter.licenses=conf/licenses.yaml --warehouse /data/wh""",
    "dedup": """examples:
  ./spark-submit.sh dedup
  ./spark-submit.sh dedup --set dedup.threshold=0.8 --set dedup.num_perm=128
  ./spark-submit.sh dedup --set dedup.bands=32 --set dedup.rows=8 --set dedup.verify=exact""",
    "transform": """examples:
  ./spark-submit.sh transform
  ./spark-submit.sh transform --set transform.rule_pack=conf/rules/my_framework.yaml
  ./spark-submit.sh transform --set transform.on_parse_error=pass""",
    "analyze": """examples:
  ./spark-submit.sh analyze
  ./spark-submit.sh analyze --set transform.analysis.source=folder --set transform.analysis.framework_dir=samples/framework
  ./spark-submit.sh analyze --set transform.analysis.on_missing=warn""",
    "tokenizer": """examples:
  ./spark-submit.sh tokenizer
  ./spark-submit.sh tokenizer --set tokenizer.vocab_size=48000 --set tokenizer.model_type=unigram""",
    "encode": """examples:
  ./spark-submit.sh encode
  ./spark-submit.sh encode --set splits.train=0.9 --set splits.val=0.05 --set splits.test=0.05""",
    "plan": """examples:
  ./spark-submit.sh plan
  ./spark-submit.sh plan --budget 7b --set budgets.max_framework_epochs=2""",
    "shard": """examples:
  ./spark-submit.sh shard --budget 3b
  ./spark-submit.sh shard --budget 3b --scale 1e-6 --format megatron,arrow,jsonl.zst
  ./spark-submit.sh shard --budget 7b --set shards.seq_length=4096 --set shards.fim_rate=0.5""",
    "maintain": """examples:
  ./spark-submit.sh maintain
  ./spark-submit.sh maintain --set maintain.tables=[bronze/documents,gold/tokens]
  ./spark-submit.sh maintain --set maintain.retain_hours=720 --set maintain.zorder=false""",
    "lineage": """examples:
  ./spark-submit.sh lineage 3f9a2c51d0e4            # a doc_id, or at least 6 of its first hex digits
  ./spark-submit.sh lineage --path src/App.tsx --origin react-app@1.0.0
  ./spark-submit.sh lineage 3f9a2c51d0e4 --warehouse /data/wh""",
    "report": """examples:
  ./spark-submit.sh report
  ./spark-submit.sh report --warehouse /data/wh --run-id run-0123456789ab
  ./spark-submit.sh report --set report.diff_samples=10 --set report.typecheck=off""",
    "pipeline": """examples:
  ./spark-submit.sh pipeline
  MASTER=spark://host:7077 ./spark-submit.sh pipeline --conf conf/cluster.yaml
  ./spark-submit.sh pipeline --set ingest.max_file_bytes=200000""",
}


JOBS = {
    "ingest": "read inputs into bronze/documents (+ rejects)",
    "filter": "license allowlist and code quality: bronze/documents -> silver/filtered (+ rejects, "
              "license compliance report)",
    "dedup": "exact and MinHash-LSH near-duplicate removal: silver/filtered -> silver/deduped "
             "(+ dedup/clusters, rejects; signatures kept in dedup/signatures for the next batch)",
    "transform": "rewrite code to the framework with the rule pack: silver -> gold/documents "
                 "(+ rejects, per-rule coverage in meta/transform_rules)",
    "analyze": "framework analysis: its exported API, its use by the apps, and a check that every "
               "rule of the pack targets an API that exists (report in reports/<run_id>/)",
    "tokenizer": "train the SentencePiece tokenizer on a weighted sample of the corpus",
    "encode": "encode the corpus into gold/tokens (+ train/val/test split by origin)",
    "plan": "token economics and what each budget needs from the corpus",
    "shard": "mix gold/tokens to a budget and write Megatron/Arrow/jsonl.zst shards + manifest",
    "maintain": "OPTIMIZE (Z-order) and VACUUM the warehouse's tables, with a report in "
                "reports/<run_id>/maintenance.md",
    "lineage": "print one document's lineage: source, license, each stage's decision, dedup "
             "cluster, rules and diff, instruction pairs, split and shards",
    "report": "the run's report: reports/<run_id>/report.html (plots, offline) and report.md, from "
              "the tables whichever stages have run",
    "pipeline": "run every configured stage in order and summarise",
}


ALIASES = {"lineage": ["trace"]}
"""Other names a job answers to (``trace`` is the name the provenance issue gives ``lineage``)."""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--conf", default=DEFAULT_CONFIG, help="YAML config (default: %(default)s)")
    parser.add_argument("--warehouse", help="warehouse root, overrides `warehouse`")
    parser.add_argument("--master", help="Spark master, overrides $MASTER and spark.master")
    parser.add_argument("--run-id", help="fixed run id (default: derived from the config)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override any config key, e.g. ingest.max_file_bytes=200000")
    parser.add_argument("--verbose", action="store_true", help="show stack traces on errors")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show stage, Spark tasks and rate on stderr (default: on when it is a terminal)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every job."""
    parser = argparse.ArgumentParser(prog="corpusforge", description=__doc__)
    jobs = parser.add_subparsers(dest="job", required=True, metavar="JOB")
    for name, help_text in JOBS.items():
        sub = jobs.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                              aliases=ALIASES.get(name, []),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(sub)
        if name in ("plan", "shard"):
            sub.add_argument("--budget", help="budget name from the budgets file (e.g. 150m, 3b, 7b)")
        if name == "shard":
            sub.add_argument("--scale", type=float, help="fraction of the budget to write (miniature)")
            sub.add_argument("--format", action="append", dest="formats", metavar="FORMAT[,FORMAT]",
                             help="megatron, arrow, jsonl.zst (comma-separated or repeated)")
        if name == "lineage":
            sub.add_argument("doc_id", nargs="?", metavar="DOC_ID",
                             help="the document's doc_id (or a unique prefix of 6+ hex digits)")
            sub.add_argument("--path", help="find the document by its path within its origin")
            sub.add_argument("--origin", help="with --path: the origin (repo@commit, package@version)")
        if name in ("ingest", "pipeline"):
            sub.add_argument("--input", action="append", metavar="KIND:LOCATION",
                             help="repeatable; KIND in framework, dir, npm, stack, text "
                                  "(default: ingest.inputs from the config)")
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    """Load the config named by ``--conf`` and apply the flags that override it."""
    overrides: dict[str, Any] = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise CorpusforgeError(f"--set {item!r} is not KEY=VALUE", stage="cli")
        overrides[key] = yaml.safe_load(value)
    if args.warehouse:
        overrides["warehouse"] = args.warehouse
    if args.run_id:
        overrides["run_id"] = args.run_id
    if getattr(args, "budget", None):
        overrides["shards.budget"] = args.budget
    if getattr(args, "scale", None) is not None:
        overrides["shards.scale"] = args.scale
    if getattr(args, "formats", None):
        overrides["shards.formats"] = [f.strip().replace("jsonl.zst", "jsonl_zst")
                                       for item in args.formats for f in item.split(",") if f.strip()]
    if getattr(args, "input", None):
        overrides["ingest.inputs"] = args.input
    return load_config(args.conf, overrides)


def progress_console(flag: bool | None) -> Console | None:
    """The stderr console progress is drawn on, or None when progress is off.

    Default: on when stderr is a terminal, directly or through spark-submit (which pipes the
    driver's output; ``spark-submit.sh`` sets ``CORPUSFORGE_TERMINAL=1`` when its own is one).
    """
    piped_terminal = os.environ.get("CORPUSFORGE_TERMINAL") == "1"
    if flag is False or (flag is None and not (sys.stderr.isatty() or piped_terminal)):
        return None
    return Console(stderr=True, force_terminal=True if piped_terminal else None)


def check_trace_args(args: argparse.Namespace) -> None:
    """``trace`` takes exactly one of DOC_ID and --path."""
    if args.job == "lineage" and (args.doc_id is None) == (args.path is None):
        raise CorpusforgeError("give either a DOC_ID or --path PATH", stage="trace",
                               hint="./spark-submit.sh lineage --help")


def run_job(args: argparse.Namespace, console: Console) -> int:
    """Check what can be checked without Spark, build the session and run the job."""
    config = config_from_args(args)
    from corpusforge import pipeline, preflight
    from corpusforge.progress import ProgressReporter
    from corpusforge.spark import build_session
    from corpusforge.warehouse import open_warehouse

    # Java is checked by build_session (or by spark-submit.sh before the JVM started).
    preflight.check_job(args.job, config, budget=getattr(args, "budget", None), java=False)
    check_trace_args(args)
    spark = build_session(config.spark, master=args.master)
    open_warehouse(spark, config.warehouse)
    if args.job == "lineage":  # a lookup, not a stage: no stage run is recorded
        from corpusforge import trace

        trace.run(spark, config, doc_id=args.doc_id, path=args.path, origin=args.origin, console=console)
        return 0
    progress_to = progress_console(args.progress)
    with ProgressReporter(spark, progress_to) if progress_to else contextlib.nullcontext() as reporter:
        if args.job == "pipeline":
            results = pipeline.run(spark, config, console, progress=reporter)
        else:
            results = [pipeline.run_one(args.job, spark, config, console,
                                        budget=getattr(args, "budget", None), progress=reporter)]
    pipeline.print_summary(config, results, console)
    return 0


def _error_line(job: str, exc: CorpusforgeError, verbose: bool) -> int:
    if verbose:
        traceback.print_exc()
    print(f"corpusforge {job}: error: {exc.one_line()}", file=sys.stderr)
    return 2


def preflight_main(argv: list[str]) -> int:
    """Run only the checks that need no Spark (what ``spark-submit.sh`` does before the JVM)."""
    from corpusforge import preflight

    args = build_parser().parse_args(argv)
    try:
        check_trace_args(args)
        preflight.check_job(args.job, config_from_args(args), budget=getattr(args, "budget", None))
    except CorpusforgeError as exc:
        return _error_line(args.job, exc, args.verbose)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``corpusforge`` console script."""
    args = build_parser().parse_args(argv)
    args.job = next((job for job, names in ALIASES.items() if args.job in names), args.job)
    # Piped output (spark-submit, logs, CI) gets 120 columns rather than rich's 80, unless
    # COLUMNS says otherwise (spark-submit.sh passes the terminal's width on).
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
    console = Console(stderr=False, width=width)
    try:
        return run_job(args, console)
    except CorpusforgeError as exc:
        return _error_line(args.job, exc, args.verbose)


if __name__ == "__main__":
    raise SystemExit(main())
