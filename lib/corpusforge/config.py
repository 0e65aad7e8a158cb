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
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


class FilterSettings(Strict):
    """Filter stage: license allowlist, quality thresholds, decontamination."""

    licenses: str = Field("conf/licenses.yaml", description="License allowlist (SPDX) file.")
    quality: QualitySettings = Field(default_factory=QualitySettings)
    secrets: SecretsSettings = Field(default_factory=SecretsSettings)
    decontamination: DecontaminationSettings = Field(default_factory=DecontaminationSettings)


class PipelineSettings(Strict):
    """Which stages `pipeline` runs, in order."""

    stages: list[str] = Field(default_factory=lambda: ["ingest", "filter"])


class Config(Strict):
    """The whole configuration of a run."""

    warehouse: str = Field("./warehouse", description="Root of the Delta tables (local or s3a://…).")
    run_id: str | None = Field(None, description="Fixed run id; default: hash of config + inputs.")
    spark: SparkSettings = Field(default_factory=SparkSettings)
    tables: TableSettings = Field(default_factory=TableSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    filter: FilterSettings = Field(default_factory=FilterSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)

    def resolved_run_id(self) -> str:
        """The run id: as configured, else a hash of what decides the rows (not Spark tuning
        nor the warehouse location), so reruns and copies of a run share it."""
        if self.run_id:
            return self.run_id
        payload = self.model_dump(exclude={"run_id", "spark", "warehouse"})
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
