"""Opt-out: sources whose owners asked to be left out of the corpus.

The list (``conf/opt_out.yaml``, named by ``opt_out.file``) has three kinds of entries:

- ``origins``: an origin as the tables spell it (``left-pad@1.3.0``, ``acme/widgets``), or
  its name without the version (``left-pad`` opts out every version);
- ``owners``: an npm scope (``@acme``) or a repository owner (``acme``: the Stack's
  ``acme/repo`` origins, and scoped packages ``@acme/...``);
- ``paths``: shell globs over ``origin/path`` or ``path`` (``*`` crosses ``/``), e.g.
  ``*/internal/*`` or ``left-pad@*/index.js``.

Ingest honours it (a matching document becomes an ``opt_out`` reject instead of a bronze
row) and encode and shard check it again, so a later opt-out removes a source on the next
run even if only those stages are rerun.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from corpusforge.errors import ConfigError

OPT_OUT = "opt_out"
_KEYS = ("origins", "owners", "paths")


@dataclass(frozen=True)
class OptOutList:
    """The opted-out origins, owners and path globs (plain values, pickled to executors)."""

    origins: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    source: str = "<none>"

    def __bool__(self) -> bool:
        return bool(self.origins or self.owners or self.paths)

    def match(self, origin: str | None, path: str | None) -> str | None:
        """The entry that opts this document out, as ``kind: entry (file)``, or None."""
        origin, path = origin or "", path or ""
        if origin:
            name = origin_name(origin)
            for entry in self.origins:
                if entry in (origin, name):
                    return f"origins: {entry} ({self.source})"
            owner = origin_owner(origin)
            for entry in self.owners:
                if owner is not None and entry.lstrip("@").lower() == owner.lower():
                    return f"owners: {entry} ({self.source})"
        full = f"{origin}/{path}" if origin else path
        for entry in self.paths:
            if fnmatch.fnmatchcase(full, entry) or fnmatch.fnmatchcase(path, entry):
                return f"paths: {entry} ({self.source})"
        return None


_VERSIONED = re.compile(r"^(.+?)@[^@/]+$")


def origin_name(origin: str) -> str:
    """The origin without its version or commit: ``@s/pkg@1.0.0`` -> ``@s/pkg``, ``app@3f2a`` -> ``app``."""
    found = _VERSIONED.match(origin)
    return found.group(1) if found else origin


def origin_owner(origin: str) -> str | None:
    """The npm scope (``@acme/x@1`` -> ``acme``) or repository owner (``acme/repo`` -> ``acme``)."""
    name = origin_name(origin)
    if name.startswith("@") and "/" in name:
        return name[1:].split("/", 1)[0]
    if "/" in name:
        return name.split("/", 1)[0]
    return None


def load_opt_out(path: str | None) -> OptOutList:
    """Read the opt-out file; ``None`` is an empty list. A bad file is a ConfigError."""
    if not path:
        return OptOutList()
    file = Path(path).expanduser()
    if not file.is_file():
        shipped = Path(file.name)  # shipped with --files on a cluster
        if not shipped.is_file():
            raise ConfigError("opt-out file does not exist", path=path, stage="opt_out",
                              hint="create it (see conf/opt_out.yaml) or set opt_out.file: null")
        file = shipped
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", path=path, stage="opt_out") from None
    if not isinstance(data, dict) or set(data) - set(_KEYS):
        raise ConfigError(f"top level must be a mapping with keys {', '.join(_KEYS)}",
                          path=path, stage="opt_out", hint="see conf/opt_out.yaml")
    values: dict[str, tuple[str, ...]] = {}
    for key in _KEYS:
        entries = data.get(key) or []
        if not isinstance(entries, list) or not all(isinstance(e, str) and e.strip() for e in entries):
            raise ConfigError(f"'{key}' must be a list of non-empty strings", path=path,
                              stage="opt_out", hint="see conf/opt_out.yaml")
        values[key] = tuple(e.strip() for e in entries)
    return OptOutList(**values, source=str(path))


def opt_out_detail(opt_out: OptOutList, origin: Column, path: Column) -> Column:
    """Spark column: :meth:`OptOutList.match` of each row (null when not opted out), computed
    in Arrow batches on the executors; a constant null when the list is empty."""
    if not opt_out:
        return F.lit(None).cast("string")

    @F.pandas_udf("string")
    def detail(origins: pd.Series, paths: pd.Series) -> pd.Series:
        return pd.Series([opt_out.match(o, p) for o, p in zip(origins, paths)], dtype=object)

    return detail(origin, path)


def mark_rejects(df: DataFrame, opt_out: OptOutList, clear: tuple[str, ...] = ()) -> DataFrame:
    """``df`` with the rows the list names turned into ``opt_out`` rejects: ``reason`` and
    ``detail`` set (both added, null, when ``df`` lacks them) and the ``clear`` columns
    nulled (e.g. the content, which must not be kept). A row that already has a reason keeps
    it and its columns. Ingest and shard use this; encode matches inside its batch function,
    so an opted-out document is never encoded."""
    for name in ("reason", "detail"):
        if name not in df.columns:
            df = df.withColumn(name, F.lit(None).cast("string"))
    if not opt_out:
        return df
    hit = F.col("reason").isNull() & F.col("_opt_out").isNotNull()
    changed = {"reason": F.lit(OPT_OUT), "detail": F.col("_opt_out"), **{c: F.lit(None) for c in clear}}
    return (df.withColumn("_opt_out", opt_out_detail(opt_out, F.col("origin"), F.col("path")))
            .select(*[F.when(hit, changed[c]).otherwise(F.col(c)).alias(c) if c in changed else F.col(c)
                      for c in df.columns]))
