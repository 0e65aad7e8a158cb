"""A labelled near-duplicate corpus for dedup tests: the sample's react-todo family plus
synthetic variants of other sample files with random token edits (seeded)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from corpusforge.dedup.shingles import code_tokens
from corpusforge.sources.records import doc_id_for
from tests.conftest import SAMPLES

FAMILY = ("react-todo", "react-todo-fork", "react-todo-mirror")
VARIANT_BASES = ("github/react-dashboard/src/App.tsx", "github/react-dashboard/src/api/http.ts",
                 "github/react-dashboard/src/api/cachedFetch.ts", "framework/packages/once/src/apiClient.ts",
                 "framework/packages/dframe/src/hooks.ts", "framework/packages/dframe/src/renderer.ts")
EDIT_RATES = (0.005, 0.01, 0.02, 0.03, 0.045, 0.07, 0.12)


@dataclass(frozen=True)
class Doc:
    source: str
    origin: str
    path: str
    license: str | None
    content: str
    alnum_fraction: float | None = None

    @property
    def doc_id(self) -> str:
        return doc_id_for(self.source, self.origin, self.path)

    @property
    def key(self) -> str:
        return f"{self.origin}/{self.path}"


def edit_tokens(text: str, rate: float, rng: random.Random) -> str:
    """Replace, drop or insert about ``rate`` of the code tokens (layout is not kept)."""
    out = []
    for tok in code_tokens(text):
        roll = rng.random()
        if roll < rate / 3:
            continue
        if roll < 2 * rate / 3:
            out.append(f"edit{rng.randrange(10_000)}")
            continue
        out.append(tok)
        if roll < rate:
            out.append(f"extra{rng.randrange(10_000)}")
    return " ".join(out) + "\n"


def family_docs() -> list[Doc]:
    """The react-todo family: react-todo is kept (best quality), fork and mirror go."""
    docs = []
    for origin in FAMILY:
        root = SAMPLES / "github" / origin
        for file in sorted((root / "src").rglob("*.ts*")):
            quality = 0.9 if origin == "react-todo" else 0.5
            docs.append(Doc("github", f"{origin}@1", str(file.relative_to(root)), "MIT", file.read_text(), quality))
    return docs


def variant_docs(seed: int = 7) -> list[Doc]:
    """Each base file plus one variant per edit rate."""
    rng = random.Random(seed)
    docs = []
    for base in VARIANT_BASES:
        text = (SAMPLES / base).read_text()
        docs.append(Doc("github", "variants@1", base, "MIT", text, 0.9))
        for rate in EDIT_RATES:
            docs.append(Doc("github", f"variants-{rate}@1", base, "MIT", edit_tokens(text, rate, rng), 0.5))
    return docs


def priority_docs() -> list[Doc]:
    """Keep-one priority: the framework copy beats a better-scored MIT copy; an MIT copy
    beats a better-scored copy under a license expression; two blank documents collapse."""
    types = (SAMPLES / "github" / "react-dashboard" / "src" / "types.ts").read_text()
    index = (SAMPLES / "github" / "react-dashboard" / "src" / "index.tsx").read_text()
    return [Doc("github", "dash-copy@1", "src/types.ts", "MIT", types, 0.99),
            Doc("framework", "@acme/types@1", "src/types.ts", None, types, 0.1),
            Doc("github", "dual@1", "src/index.tsx", "MIT OR GPL-3.0-only", index, 0.99),
            Doc("github", "mit@1", "src/index.tsx", "MIT", index, 0.2),
            Doc("github", "blank@1", "a.ts", "MIT", " \n"), Doc("github", "blank@1", "b.ts", "MIT", "\n\n\t")]


def all_docs() -> list[Doc]:
    return family_docs() + variant_docs() + priority_docs()


def silver_frame(spark, docs: list[Doc]):
    """``silver/filtered`` rows for ``docs`` (quality scores other than alnum_fraction unset)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from corpusforge import tables

    rows = [(d.doc_id, d.source, d.origin, d.path, "tsx" if d.path.endswith("x") else "typescript", d.license,
             None, d.content, hashlib.sha256(d.content.encode()).hexdigest(), len(d.content.encode()), "r0", 0,
             None, d.alnum_fraction) for d in docs]
    schema = T.StructType(tables.BRONZE_DOCUMENTS.schema.fields + [T.StructField("alnum_fraction", T.DoubleType())])
    df = spark.createDataFrame(rows, schema)
    return df.select(*[F.col(f.name) if f.name in df.columns else F.lit(None).cast(f.dataType).alias(f.name)
                       for f in tables.SILVER_FILTERED.schema.fields])
