"""Typed configuration: every knob of every stage, its default and what it does.

Config comes from a YAML file (``conf/local.yaml`` by default); CLI flags override single
keys. An unknown key or a wrong type is a :class:`ConfigError` naming the key and file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from corpusforge.errors import ConfigError

DEFAULT_CONFIG = "conf/local.yaml"

DELTA_PACKAGE = "io.delta:delta-spark_2.12:3.3.2"
SPARK_NLP_PACKAGE = "com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3"


class Strict(BaseModel):
    """Base for config sections: unknown keys are errors, values are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class JarSettings(Strict):
    """Where the Delta Lake and Spark NLP jars come from."""

    mode: Literal["maven", "dir", "packages", "none"] = Field(
        "maven",
        description="maven: resolve `packages` with Maven into `cache_dir` once, then reuse; "
        "dir: use every jar in `dir` (images with jars baked in); "
        "packages: pass `packages` to Spark's own resolver (clusters with registry access); "
        "none: the cluster provides the jars.")
    packages: list[str] = Field(
        default_factory=lambda: [DELTA_PACKAGE, SPARK_NLP_PACKAGE],
        description="Maven coordinates group:artifact:version.")
    exclude: list[str] = Field(
        default_factory=lambda: [
            # Deep-learning runtimes Spark NLP declares but rule-based annotators never load;
            # not served by Maven Central.
            "com.johnsnowlabs.nlp:tensorflow-cpu_2.12",
            "com.johnsnowlabs.nlp:jsl-llamacpp-cpu_2.12",
            "com.johnsnowlabs.nlp:jsl-openvino-cpu_2.12",
        ],
        description="group:artifact pairs left out of the transitive resolution.")
    cache_dir: str = Field("~/.cache/corpusforge/jars", description="Maven-resolved jars cache.")
    dir: str | None = Field(None, description="Jars directory for mode=dir.")


class SparkSettings(Strict):
    """How the SparkSession is built (local runs; spark-submit flags win on a cluster)."""

    master: str = Field("local[*]", description="Used when neither MASTER nor --master is set.")
    app_name: str = "corpusforge"
    driver_memory: str = Field("4g", description="Local mode only: the driver JVM heap.")
    shuffle_partitions: int = Field(8, ge=1, description="spark.sql.shuffle.partitions.")
    arrow_max_records_per_batch: int = Field(
        500, ge=1, description="Rows per Arrow batch handed to Python UDFs (bounds memory).")
    delta_snapshot_partitions: int = Field(
        4, ge=1, description="Partitions used to rebuild a Delta snapshot (small for local).")
    ui: bool = Field(False, description="Start the Spark UI.")
    log_level: str = "WARN"
    jars: JarSettings = Field(default_factory=JarSettings)
    checkpoint_dir: str | None = Field(
        None, description="Reliable checkpoint folder (dedup's connected components): a shared "
        "path such as s3a://…/checkpoints on a cluster; null: local checkpoints (executor disk).")
    extra_conf: dict[str, str] = Field(default_factory=dict, description="Any other spark.* key.")


class TableSettings(Strict):
    """Physical layout of the warehouse's Delta tables."""

    buckets: int = Field(8, ge=1, description="Hash buckets (of doc_id) tables are partitioned by.")


class IngestSettings(Strict):
    """Ingest: inputs, caps and skip rules (see README, "Ingest")."""

    inputs: list[str] = Field(
        default_factory=list,
        description="KIND:LOCATION, KIND in framework, dir, npm, stack, text; --input overrides.")
    max_file_bytes: int = Field(1_000_000, ge=1, description="Larger files are rejected unread.")
    max_line_length: int = Field(1_000, ge=1, description="Longer lines mark code as minified.")
    minified_min_bytes: int = Field(2_000, ge=0, description="Minified check only above this size.")
    minified_mean_line_length: float = Field(300.0, gt=0)
    max_archive_members: int = Field(20_000, ge=1, description="Members per tarball.")
    max_archive_bytes: int = Field(200_000_000, ge=1, description="Declared unpacked bytes per tarball.")
    max_member_bytes: int = Field(5_000_000, ge=1, description="Bytes per tarball member.")
    skip_dirs: list[str] = Field(
        default_factory=lambda: [
            "node_modules", "dist", "build", "out", "coverage", "vendor", "vendors", ".next",
            ".nuxt", ".cache", "bower_components", "__generated__", "generated", ".git"],
        description="Directory names skipped at ingest (one reject row per directory).")
    languages: list[str] = Field(
        default_factory=lambda: ["typescript", "tsx", "dts", "javascript", "jsx", "json",
                                 "markdown", "text", "vue", "html", "css"],
        description="Languages kept; other detected languages are rejected as unsupported_type.")
    npm_cache_dir: str = Field("~/.cache/corpusforge/npm", description="npm pack cache (outside the repo).")
    files_per_task: int = Field(
        1000, ge=1, description="Directory files read per Spark task (fewer, larger tasks: each "
        "task has a fixed scheduling cost).")
    stack_columns: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "content": ["content", "text"],
            "repo": ["max_stars_repo_name", "repository_name", "repo_name", "repo"],
            "path": ["max_stars_repo_path", "path"],
            "licenses": ["max_stars_repo_licenses", "licenses", "license"],
        },
        description="Candidate column names per field for stack inputs, first present wins.")


class QualitySettings(Strict):
    """Code quality thresholds (StarCoder / The Stack style); see filters/quality.py."""

    max_line_length: int = Field(1000, ge=1, description="Longest line allowed in code.")
    max_mean_line_length: float = Field(100.0, gt=0, description="Mean line length allowed in code.")
    min_alnum_fraction: float = Field(0.25, ge=0, le=1, description="Least share of alphanumeric chars.")
    max_non_ascii_fraction: float = Field(0.2, ge=0, le=1, description="Most share of non-ASCII chars.")
    min_chars: int = Field(20, ge=0, description="Shorter documents are rejected.")
    max_chars: int = Field(500_000, ge=1, description="Longer documents are rejected.")
    max_data_fraction: float = Field(
        0.5, ge=0, le=1, description="Most share of long literals / base64 blobs (data-like files).")


class DecontaminationSettings(Strict):
    """Benchmark snippets no training document may contain (see filters/decontamination.py)."""

    benchmarks: list[str] = Field(
        default_factory=list,
        description="JSONL files of {benchmark, id, text} snippets (prompts and solutions).")
    ngram_tokens: int = Field(
        20, ge=3, description="Window of code tokens; a shared window marks a document contaminated.")


class SecretsSettings(Strict):
    """Secrets and PII: redacted with typed placeholders; see filters/secrets.py."""

    enabled: bool = True
    max_secret_share: float = Field(
        0.3, ge=0, le=1, description="Reject documents whose text is more than this share secrets.")
    reject_private_keys: bool = Field(True, description="Reject any document holding a private key.")


class TextRuleSettings(Strict):
    """Gopher-style thresholds for one kind of text; see filters/text_quality.py."""

    min_words_to_check: int = Field(
        0, ge=0, description="Below this many words only the blocklist is checked (0: always).")
    min_words: int = Field(50, ge=0, description="Fewer words: text_quality:word_count.")
    max_words: int = Field(100_000, ge=1, description="More words: text_quality:word_count.")
    min_mean_word_length: float = Field(3.0, ge=0)
    max_mean_word_length: float = Field(10.0, gt=0)
    max_symbol_word_ratio: float = Field(0.1, ge=0, description='("#" + "..." + "…") per word.')
    min_stop_words: int = Field(2, ge=0, description="Fewest stop words (from the stop-word list).")
    max_duplicate_line_fraction: float = Field(
        0.3, ge=0, le=1, description="Most share of non-blank lines repeating an earlier line.")
    max_duplicate_line_char_fraction: float = Field(
        0.2, ge=0, le=1, description="Most share of line characters in repeated lines.")
    max_top_ngram_share: dict[int, float] = Field(
        default_factory=lambda: {2: 0.20, 3: 0.18, 4: 0.16},
        description="n -> most share of word characters in the most frequent n-gram.")
    max_duplicate_ngram_share: dict[int, float] = Field(
        default_factory=lambda: {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10},
        description="n -> most share of word characters in repeated n-grams.")
    max_blocklist_hits: int = Field(0, ge=0, description="More blocklisted words: `blocklist`.")


def _comment_rules() -> TextRuleSettings:
    # Lenient: code is judged by its comments only from 100 comment words on.
    return TextRuleSettings(
        min_words_to_check=100, min_words=0, max_words=10**9, min_mean_word_length=2.0,
        max_mean_word_length=15.0, max_symbol_word_ratio=0.5, min_stop_words=0,
        max_duplicate_line_fraction=0.5, max_duplicate_line_char_fraction=0.5,
        max_top_ngram_share={2: 0.4, 3: 0.35, 4: 0.3}, max_duplicate_ngram_share={5: 0.5, 10: 0.4},
        max_blocklist_hits=2)


class TextQualitySettings(Strict):
    """Natural-language quality (Spark NLP words + Gopher rules) of text documents and of
    the comments in code; see filters/text_quality.py and filters/nlp.py."""

    enabled: bool = Field(True, description="Run the Spark NLP pass and the text rules.")
    stopwords: str = Field("conf/nlp/stopwords_en.txt", description="Stop-word list, one per line.")
    blocklist: str | None = Field(
        "conf/nlp/blocklist_en.txt", description="Blocklisted words/phrases, one per line (null: none).")
    text: TextRuleSettings = Field(
        default_factory=TextRuleSettings, description="Text and Markdown documents (Gopher's limits).")
    comments: TextRuleSettings = Field(
        default_factory=_comment_rules, description="Comments and JSDoc of code (lenient).")

    @model_validator(mode="before")
    @classmethod
    def _partial_comment_rules(cls, data: Any) -> Any:
        # Keys a `comments` section leaves out keep the lenient comment defaults, not Gopher's.
        if isinstance(data, dict) and isinstance(data.get("comments"), dict):
            data = {**data, "comments": {**_comment_rules().model_dump(), **data["comments"]}}
        return data


class BoundarySettings(Strict):
    """Domain boundaries from the rule pack's `boundaries` section; see filters/boundaries.py."""

    enabled: bool = Field(True, description="Reject/tag out-of-domain documents.")


class CleaningSettings(Strict):
    """Code cleaning, the filter's first step after the license check (filters/cleaning.py,
    docs/FILTER.md "Cleaning"). Every step but line_endings touches JavaScript/TypeScript only,
    and a cleaned file whose tree-sitter tree (comments and whitespace aside) differs from the
    original's keeps its original content."""

    enabled: bool = Field(True, description="Run the cleaning steps below.")
    line_endings: bool = Field(True, description="CRLF and lone CR become LF (any document).")
    trailing_whitespace: bool = Field(True, description="Strip spaces/tabs at line ends (not in literals).")
    license_header: bool = Field(
        True, description="Move leading license/copyright comments into the license_header column.")
    banners: bool = Field(
        True, description="Remove separator comments, source-map pragmas and bundler module markers.")
    commented_code: bool = Field(True, description="Remove comment runs that parse as code.")
    min_commented_code_lines: int = Field(
        3, ge=1, description="Least non-blank lines of a comment run removed as commented-out code.")
    blank_lines: bool = Field(True, description="Collapse runs of blank lines (none at start or end).")
    max_blank_lines: int = Field(1, ge=0, description="Longest run of blank lines kept.")
    verify: bool = Field(
        True, description="Keep the original when the cleaned tree differs (off only to measure).")


class FilterSettings(Strict):
    """Filter stage: license allowlist, quality thresholds, decontamination."""

    licenses: str = Field("conf/licenses.yaml", description="License allowlist (SPDX) file.")
    rule_pack: str = Field("conf/rules/dframe_once.yaml",
                           description="Rule pack whose `boundaries` section the filter applies.")
    quality: QualitySettings = Field(default_factory=QualitySettings)
    secrets: SecretsSettings = Field(default_factory=SecretsSettings)
    decontamination: DecontaminationSettings = Field(default_factory=DecontaminationSettings)
    text_quality: TextQualitySettings = Field(default_factory=TextQualitySettings)
    boundaries: BoundarySettings = Field(default_factory=BoundarySettings)
    cleaning: CleaningSettings = Field(default_factory=CleaningSettings)


class TokenizerSettings(Strict):
    """SentencePiece training (see tokenizer/training.py): lossless on code by construction."""

    model_type: Literal["bpe", "unigram"] = "bpe"
    vocab_size: int = Field(32000, ge=300, description="Target vocabulary size (ids < 65536 "
                            "give uint16 Megatron shards).")
    sample_max_bytes: int = Field(
        200_000_000, ge=1, description="Cap on the text collected to the driver for training.")
    framework_weight: float = Field(
        4.0, gt=0, description="Sampling weight of framework and aligned documents vs the rest.")
    max_sentence_length: int = Field(
        8192, ge=64, description="Longer lines are cut into pieces of this many bytes.")
    user_defined_symbols: list[str] = Field(
        default_factory=list, description="Extra pieces kept whole, e.g. framework identifiers.")
    symbols_from_framework: str | None = Field(
        "conf/framework", description="Folder of .d.ts files whose exported names become "
        "user-defined symbols (null: none).")
    seed: int = 17
    output: str = Field("tokenizer", description="Folder under the warehouse for the model.")


class SplitSettings(Strict):
    """Train/val/test split by a hash of the origin, so no origin straddles two splits."""

    train: float = Field(0.98, ge=0, le=1)
    val: float = Field(0.01, ge=0, le=1)
    test: float = Field(0.01, ge=0, le=1)
    seed: int = 0


class BudgetSettings(Strict):
    """Token budgets per model size (conf/budgets.yaml) and how far data may be repeated."""

    file: str = Field("conf/budgets.yaml", description="Budgets file (name → tokens, share).")
    max_framework_epochs: float = Field(
        4.0, ge=1, description="Most times framework-style data may be repeated to reach its share.")
    max_public_epochs: float = Field(
        1.0, ge=1, description="Most times public code and text may be repeated.")


class ShardSettings(Strict):
    """Shard job: mix the tokenized corpus to a budget and write trainer-ready files."""

    budget: str = Field("150m", description="Budget name from the budgets file.")
    scale: float = Field(
        1.0, gt=0, le=1, description="Fraction of the budget to produce (same proportions); "
        "e.g. 1e-6 for a miniature on the sample.")
    formats: list[Literal["megatron", "arrow", "jsonl_zst"]] = Field(
        default_factory=lambda: ["megatron", "arrow", "jsonl_zst"])
    shard_tokens: int = Field(100_000_000, ge=1, description="Target tokens per shard file.")
    seq_length: int = Field(0, ge=0, description="Pack into sequences of this many tokens (0: "
                            "one sequence per document).")
    fim_rate: float = Field(0.0, ge=0, le=1, description="Share of documents turned into "
                            "fill-in-the-middle examples (prefix-suffix-middle order).")
    seed: int = Field(1234, description="Seed of the shuffle, the partial-epoch choice and FIM.")
    output: str = Field("shards", description="Folder under the warehouse for the shards, or an "
                        "absolute path (a mount every executor shares) when the warehouse is remote.")


class AnalysisSettings(Strict):
    """`analyze` job: the framework's API, its use by the apps, rule targets (docs/TRANSFORM.md)."""

    source: Literal["auto", "table", "folder"] = Field(
        "auto", description="Framework code from the `framework` documents of silver/filtered or "
        "bronze/documents (`table`), from `framework_dir` (`folder`), or the tables when they hold "
        "framework documents, else the folder (`auto`).")
    framework_dir: str = Field("samples/framework", description="Folder of framework packages and apps.")
    declarations: str = Field("conf/framework", description="The framework's .d.ts declarations.")
    on_missing: Literal["error", "warn"] = Field(
        "error", description="A rule targeting an API missing from the declarations or the code: "
        "fail the job, or only report it.")


class TransformSettings(Strict):
    """Transform stage: rewrite code to the framework with a rule pack (docs/TRANSFORM.md)."""

    rule_pack: str = Field("conf/rules/dframe_once.yaml", description="Rule pack (docs/RULES.md).")
    languages: list[str] = Field(
        default_factory=lambda: ["typescript", "tsx", "dts", "javascript", "jsx"],
        description="Languages parsed and rewritten; other documents pass through unchanged.")
    on_parse_error: Literal["reject", "pass"] = Field(
        "reject", description="A document that does not parse: reject it (parse_error) or pass "
        "it through untouched (valid=false).")
    check_idempotence: bool = Field(
        True, description="Rewrite every changed output again; a second change rejects the "
        "document (not_idempotent).")
    max_passes: int = Field(4, ge=1, description="Rewrite passes per document (rewrites "
                            "inside captured code need more than one).")
    partial: Literal["keep", "revert"] = Field(
        "revert", description="A document the pack can only partly rewrite (unsupported uses "
        "left): keep the partial rewrite, or revert it to the original (no mixed-API files).")
    follow_reexports: bool = Field(
        True, description="Before the rewrite, find each origin's own modules that re-export a "
        "targeted module (src/utils/react.ts re-exporting React) and follow imports of them; "
        "off: every file is rewritten alone (one Spark job less, files taking React through "
        "such a module are left half-rewritten or reverted).")
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)


class DedupSettings(Strict):
    """Dedup: exact (content, normalised content) and MinHash-LSH near duplicates; docs/DEDUP.md."""

    num_perm: int = Field(256, ge=1, le=4096, description="MinHash permutations (signature length).")
    seed: int = Field(1, ge=0, description="Permutation seed (datasketch.MinHash's `seed`).")
    ngram: int = Field(5, ge=1, description="Code tokens per shingle.")
    threshold: float = Field(0.7, gt=0, lt=1, description="Jaccard similarity that makes a near duplicate.")
    bands: int | None = Field(None, ge=1, description="LSH bands; with `rows` unset, chosen from the threshold.")
    rows: int | None = Field(None, ge=1, description="Signature values per band (bands x rows <= num_perm).")
    false_positive_weight: float = Field(
        0.1, ge=0, le=1, description="Weight of false positives when bands/rows are chosen (as datasketch's "
        "`weights`); low because verification removes false positives afterwards.")
    false_negative_weight: float = Field(
        0.9, ge=0, le=1, description="Weight of false negatives when bands/rows are chosen (0.9: 32 x 8 "
        "for 256 permutations at 0.7, recall over 0.95; 0.5 gives datasketch's default 25 x 10).")
    verify: Literal["none", "estimated", "hybrid", "exact"] = Field(
        "hybrid", description="Check each LSH candidate against its bucket's first member: none, "
        "estimated Jaccard from the signatures, exact Jaccard of the shingles (re-reads content), or "
        "hybrid: the estimate decides unless it is within `verify_margin` of the threshold, where the "
        "exact Jaccard decides.")
    verify_margin: float = Field(
        0.1, ge=0, le=1, description="hybrid: estimates within this distance of the threshold are checked "
        "exactly (0.1 is about 3.5 standard deviations of the estimate at 256 permutations near 0.7).")
    permissive_licenses: list[str] = Field(
        default_factory=lambda: ["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "0BSD",
                                 "Unlicense", "CC0-1.0"],
        description="Licenses preferred when choosing which copy to keep (after the framework source).")


DELTA_SAFE_RETENTION_HOURS = 168.0  # Delta's delta.deletedFileRetentionDuration default (7 days)


class MaintainSettings(Strict):
    """The maintain job: OPTIMIZE (Z-order) and VACUUM of the warehouse's tables (docs/CLUSTER.md)."""

    tables: list[str] = Field(
        default_factory=list,
        description="Tables to maintain, e.g. [bronze/documents]; empty: every table that exists.")
    optimize: bool = Field(True, description="Compact small files (OPTIMIZE).")
    zorder: bool = Field(
        True, description="Z-order by each table's zorder_by columns (tables.py) while compacting; "
        "false: bin-packing only.")
    target_file_bytes: int = Field(
        256 * 1024 * 1024, ge=1024 * 1024,
        description="Largest file OPTIMIZE writes (spark.databricks.delta.optimize.maxFileSize).")
    vacuum: bool = Field(True, description="Delete files no table version within the retention needs.")
    listing_parallelism: int | None = Field(
        None, ge=1, description="Tasks VACUUM lists a table's files with "
        "(spark.sql.sources.parallelPartitionDiscovery.parallelism, Spark's default 10000); "
        "null: 4 x the session's default parallelism, at least 8.")
    retain_hours: float = Field(
        DELTA_SAFE_RETENTION_HOURS, ge=0,
        description="VACUUM keeps files removed less than this long ago (time travel and running "
        "readers need them).")
    allow_short_retention: bool = Field(
        False, description="Allow retain_hours below Delta's safety default of 168 h (breaks "
        "concurrent readers and time travel older than the retention).")

    @model_validator(mode="after")
    def _safe_retention(self) -> "MaintainSettings":
        if self.retain_hours < DELTA_SAFE_RETENTION_HOURS and not self.allow_short_retention:
            raise ValueError(
                f"retain_hours {self.retain_hours:g} is below Delta's safety default of "
                f"{DELTA_SAFE_RETENTION_HOURS:g} h; set maintain.allow_short_retention: true to mean it")
        return self


class OptOutSettings(Strict):
    """Opt-out list honoured at ingest and re-checked by encode and shard (corpusforge/optout.py)."""

    file: str | None = Field(
        None, description="YAML file of opted-out `origins`, `owners` and path globs (`paths`), "
        "e.g. conf/opt_out.yaml; null: nobody opted out.")


class ReportSettings(Strict):
    """Report job: the run's HTML page and Markdown summary (docs/REPORT.md)."""

    quality_columns: list[str] = Field(
        default_factory=lambda: ["alnum_fraction", "mean_line_length", "max_line_length", "data_fraction"],
        description="silver/filtered score columns whose distributions are plotted.")
    histogram_bins: int = Field(30, ge=2, le=200, description="Bins of every histogram.")
    diff_samples: int = Field(3, ge=0, description="Rewritten documents shown as before/after diffs.")
    max_diff_lines: int = Field(80, ge=5, description="Lines of each diff shown (the rest is cut).")
    seed: int = Field(0, description="Seed of the choice of diff samples (hash order of doc_id).")
    typecheck: Literal["auto", "off"] = Field(
        "auto", description="Type-check a sample of rewritten files with tsc against the framework's "
        ".d.ts when node and TypeScript (in ingest.npm_cache_dir) are there (auto; never fetched), "
        "or not at all.")
    typecheck_sample: int = Field(50, ge=1, description="Rewritten files type-checked at most.")
    typecheck_context_bytes: int = Field(
        64 * 2**20, ge=0, description="Bytes of the checked files' origins' other gold files written "
        "beside them so their relative imports resolve (0: each file alone).")


class PipelineSettings(Strict):
    """Which stages `pipeline` runs, in order."""

    stages: list[str] = Field(default_factory=lambda: [
        "ingest", "filter", "dedup", "transform", "tokenizer", "encode", "plan", "shard", "report"])


class Config(Strict):
    """The whole configuration of a run."""

    warehouse: str = Field("./warehouse", description="Root of the Delta tables (local or s3a://…).")
    # A run id names a folder (reports/<run_id>/) and goes into table predicates: one word.
    run_id: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
                               description="Fixed run id (letters, digits, '.', '_', '-'); "
                               "default: hash of config + inputs.")
    spark: SparkSettings = Field(default_factory=SparkSettings)
    tables: TableSettings = Field(default_factory=TableSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    filter: FilterSettings = Field(default_factory=FilterSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    tokenizer: TokenizerSettings = Field(default_factory=TokenizerSettings)
    splits: SplitSettings = Field(default_factory=SplitSettings)
    budgets: BudgetSettings = Field(default_factory=BudgetSettings)
    shards: ShardSettings = Field(default_factory=ShardSettings)
    transform: TransformSettings = Field(default_factory=TransformSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    opt_out: OptOutSettings = Field(default_factory=OptOutSettings)
    maintain: MaintainSettings = Field(default_factory=MaintainSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    def resolved_run_id(self) -> str:
        """The run id: as configured, else a hash of what decides the rows (not Spark tuning
        nor the warehouse location), so reruns and copies of a run share it."""
        if self.run_id:
            return self.run_id
        payload = self.model_dump(exclude={"run_id", "spark", "warehouse", "maintain", "report"})
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        return f"run-{digest[:12]}"


def _format_validation_error(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "<root>"
        if e["type"] == "extra_forbidden":
            lines.append(f"unknown key '{key}'")
        else:
            lines.append(f"key '{key}': {e['msg']} (got {e.get('input')!r})")
    return f"invalid config in {source}: " + "; ".join(lines)


def _find_config_file(path: str) -> Path:
    p = Path(path).expanduser()
    if p.is_file():
        return p
    # On a cluster in cluster deploy mode the file arrives via --files in the working dir.
    shipped = Path(os.path.basename(path))
    if shipped.is_file():
        return shipped
    raise ConfigError("config file does not exist", path=path, stage="config",
                      hint="pass --conf with an existing YAML file, e.g. conf/local.yaml")


def load_config(path: str | None = DEFAULT_CONFIG, overrides: dict[str, Any] | None = None) -> Config:
    """Load and validate a YAML config, then apply dotted-key overrides (``a.b: value``)."""
    data: dict[str, Any] = {}
    source = "<defaults>"
    if path:
        file = _find_config_file(path)
        source = str(file)
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"not valid YAML: {exc}", path=source, stage="config") from exc
        if not isinstance(data, dict):
            raise ConfigError("top level must be a mapping", path=source, stage="config")
    for dotted, value in (overrides or {}).items():
        _set_dotted(data, dotted, value)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, source), stage="config",
                          hint="see the field descriptions in lib/corpusforge/config.py") from None


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    node = data
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"cannot set '{dotted}': '{part}' is not a section", stage="config")
    node[parts[-1]] = value
