"""Command line: ``corpusforge <job> [options]`` (also what ``jobs/<job>.py`` call)."""

from __future__ import annotations

import argparse
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
    "pipeline": "run every configured stage in order and summarise",
}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--conf", default=DEFAULT_CONFIG, help="YAML config (default: %(default)s)")
    parser.add_argument("--warehouse", help="warehouse root, overrides `warehouse`")
    parser.add_argument("--master", help="Spark master, overrides $MASTER and spark.master")
    parser.add_argument("--run-id", help="fixed run id (default: derived from the config)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override any config key, e.g. ingest.max_file_bytes=200000")
    parser.add_argument("--verbose", action="store_true", help="show stack traces on errors")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every job."""
    parser = argparse.ArgumentParser(prog="corpusforge", description=__doc__)
    jobs = parser.add_subparsers(dest="job", required=True, metavar="JOB")
    for name, help_text in JOBS.items():
        sub = jobs.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(sub)
        if name in ("plan", "shard"):
            sub.add_argument("--budget", help="budget name from the budgets file (e.g. 150m, 3b, 7b)")
        if name == "shard":
            sub.add_argument("--scale", type=float, help="fraction of the budget to write (miniature)")
            sub.add_argument("--format", action="append", dest="formats", metavar="FORMAT[,FORMAT]",
                             help="megatron, arrow, jsonl.zst (comma-separated or repeated)")
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


def run_job(args: argparse.Namespace, console: Console) -> int:
    """Build the session and run the job."""
    config = config_from_args(args)
    from corpusforge import pipeline
    from corpusforge.sources.specs import parse_input_specs

    parse_input_specs(config.ingest.inputs)  # a bad --input fails before Spark starts
    from corpusforge.spark import build_session

    spark = build_session(config.spark, master=args.master)
    if args.job == "pipeline":
        results = pipeline.run(spark, config, console)
    else:
        results = [pipeline.run_one(args.job, spark, config, console,
                                    budget=getattr(args, "budget", None))]
    pipeline.print_summary(config, results, console)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``corpusforge`` console script."""
    args = build_parser().parse_args(argv)
    console = Console(stderr=False)
    try:
        return run_job(args, console)
    except CorpusforgeError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"corpusforge {args.job}: error: {exc.one_line()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
