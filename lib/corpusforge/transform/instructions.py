"""``gold/instructions``: instruction → response pairs written by the transform stage.

Two kinds, both configured in the rule pack's ``instructions:`` section (docs/TRANSFORM.md):

- ``migration``: a document the pack rewrote; the instruction is the pack's template over
  the original text, the response is the rewritten text;
- ``documented_function``: a function with a JSDoc comment in any kept code document
  (the company's framework code included); the instruction is the JSDoc description,
  cleaned here and sentence-split by a rule-based Spark NLP pipeline, plus its
  ``@param``/``@returns`` text; the response is the function's signature and body, cut out
  of the tree-sitter tree.

Extraction is plain Python (:func:`documented_functions`, :func:`parse_jsdoc`); the Spark
step (:func:`instruction_rows`) runs it in an Arrow-batched UDF. Ids are sha256 of
doc_id, kind and byte span, so a rerun writes the same rows (the table is replaced whole).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
from pyspark.ml import Pipeline, PipelineModel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge.transform.parsing import grammar_for, nodes_of_types, parse, parse_errors
from corpusforge.transform.rulepack import Instructions
from corpusforge.python_worker import settle

MIGRATION = "migration"
DOCUMENTED = "documented_function"

_FUNCTION_TYPES = ("function_declaration", "generator_function_declaration", "method_definition",
                   "lexical_declaration", "variable_declaration")
_FUNCTION_VALUES = ("arrow_function", "function_expression", "function", "generator_function")
# Statement wrappers whose preceding comment documents the declaration inside them.
_WRAPPERS = ("export_statement",)
_TAG = re.compile(r"^@(\w+)\s*(.*)$", re.S)
_INLINE_LINK = re.compile(r"\{@(?:link|linkcode|linkplain)\s+([^}|\s]+)(?:[|\s]+([^}]*))?\}")
_PARAM = re.compile(r"^(?:\{[^}]*\}\s*)?(\[?[\w$.]+(?:=[^\]]*)?\]?)\s*(?:-\s*)?(.*)$", re.S)
_TYPED = re.compile(r"^\{[^}]*\}\s*(.*)$", re.S)


@dataclass(frozen=True)
class JsDoc:
    """A parsed JSDoc comment: the free description and the tags instructions use."""

    description: str
    params: tuple[tuple[str, str], ...] = ()
    returns: str | None = None


@dataclass(frozen=True)
class DocumentedFunction:
    """A function with a JSDoc comment, and its implementation's byte span."""

    name: str
    doc: JsDoc
    implementation: str
    start_byte: int
    end_byte: int


def _clean_inline(text: str) -> str:
    text = _INLINE_LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    return re.sub(r"\s+", " ", text).strip()


def parse_jsdoc(comment: str) -> JsDoc | None:
    """The parts of a ``/** … */`` comment; None for other comments. Inline ``{@link X}``
    becomes ``X``, whitespace is collapsed; tags other than ``@param``/``@returns`` are dropped."""
    if not comment.startswith("/**") or comment.startswith("/***") or not comment.endswith("*/"):
        return None
    body = comment[3:-2]
    lines = [re.sub(r"^\s*\*? ?", "", line) for line in body.splitlines()]
    blocks: list[str] = []  # the description, then one block per tag
    current: list[str] = []
    for line in lines:
        if line.lstrip().startswith("@"):
            blocks.append("\n".join(current))
            current = [line.lstrip()]
        else:
            current.append(line)
    blocks.append("\n".join(current))
    description, tags = blocks[0], blocks[1:]
    params: list[tuple[str, str]] = []
    returns: str | None = None
    for block in tags:
        match = _TAG.match(block.strip())
        if not match:
            continue
        tag, rest = match.group(1), match.group(2).strip()
        if tag in ("param", "arg", "argument"):
            found = _PARAM.match(rest)
            if found:
                params.append((found.group(1).strip("[]").split("=")[0], _clean_inline(found.group(2))))
        elif tag in ("returns", "return"):
            typed = _TYPED.match(rest)
            returns = _clean_inline(typed.group(1) if typed else rest) or None
    return JsDoc(_clean_inline(description), tuple(params), returns)


def _preceding_jsdoc(node, source: bytes) -> str | None:
    """The ``/** */`` comment right before ``node``: only whitespace between them, and no
    blank line (a comment followed by a blank line documents a section, not the function)."""
    prev = node.prev_sibling
    if prev is None or prev.type != "comment":
        return None
    gap = source[prev.end_byte:node.start_byte]
    if gap.strip() or gap.count(b"\n") > 1:
        return None
    return source[prev.start_byte:prev.end_byte].decode("utf-8", "replace")


def _outer(node):
    """The statement a doc comment precedes: the export statement around a declaration."""
    parent = node.parent
    return parent if parent is not None and parent.type in _WRAPPERS else node


def _function_name(node) -> str | None:
    if node.type in ("lexical_declaration", "variable_declaration"):
        declarators = [c for c in node.named_children if c.type == "variable_declarator"]
        if len(declarators) != 1:
            return None
        value = declarators[0].child_by_field_name("value")
        name = declarators[0].child_by_field_name("name")
        if value is None or value.type not in _FUNCTION_VALUES or name is None or name.type != "identifier":
            return None
        return name.text.decode()
    if node.type in ("function_declaration", "generator_function_declaration", "method_definition"):
        if node.child_by_field_name("body") is None:
            return None
        name = node.child_by_field_name("name")
        return name.text.decode() if name is not None else None
    return None


def documented_functions(text: str, path: str, language: str | None = None) -> list[DocumentedFunction]:
    """Every function of ``text`` that has a JSDoc description: function declarations
    (exported or not), arrow/function expressions assigned to a ``const``/``let``/``var``,
    and class methods. Files that do not parse cleanly give nothing."""
    source = text.encode("utf-8")
    tree = parse(source, grammar_for(path, language))
    if parse_errors(tree).total:
        return []
    found = []
    for node in nodes_of_types(tree, _FUNCTION_TYPES):
        name = _function_name(node)
        if name is None:
            continue
        outer = _outer(node)
        comment = _preceding_jsdoc(outer, source)
        doc = parse_jsdoc(comment) if comment else None
        if doc is None or not doc.description:
            continue
        impl = source[outer.start_byte:outer.end_byte].decode("utf-8", "replace")
        found.append(DocumentedFunction(name, doc, impl, outer.start_byte, outer.end_byte))
    return found


def instruction_id(doc_id: str, kind: str, start: int, end: int) -> str:
    """Deterministic row id: sha256 of doc_id, kind and the byte span."""
    return hashlib.sha256(f"{doc_id}\x00{kind}\x00{start}:{end}".encode()).hexdigest()


def params_text(doc: JsDoc) -> str:
    """The ``{params}`` placeholder: a Markdown list of the documented parameters, or ''."""
    rows = [f"- `{name}`: {text}" if text else f"- `{name}`" for name, text in doc.params]
    return "\n\nParameters:\n" + "\n".join(rows) if rows else ""


def returns_text(doc: JsDoc) -> str:
    """The ``{returns}`` placeholder: ``Returns: …`` on its own paragraph, or ''."""
    return f"\n\nReturns: {doc.returns}" if doc.returns else ""


# Rows of the Python pass; documented functions carry the description for Spark NLP and
# get their instruction after sentence splitting.
_CANDIDATE = T.StructType([T.StructField(n, t, True) for n, t in (
    ("id", T.StringType()), ("doc_id", T.StringType()), ("kind", T.StringType()),
    ("instruction", T.StringType()), ("description", T.StringType()), ("name", T.StringType()),
    ("params", T.StringType()), ("returns", T.StringType()), ("response", T.StringType()),
    ("rules", T.ArrayType(T.StringType())), ("source", T.StringType()), ("origin", T.StringType()),
    ("path", T.StringType()))])
_CANDIDATE_ARROW = pa.schema([(f.name, pa.list_(pa.string()) if isinstance(f.dataType, T.ArrayType)
                               else pa.string()) for f in _CANDIDATE.fields])


def candidates(row: dict, spec: Instructions, languages: tuple[str, ...]) -> list[dict]:
    """The instruction candidates of one gold document (``before`` is its original text when
    the transform changed it, else None)."""
    out: list[dict] = []
    base = {k: row.get(k) for k in ("doc_id", "source", "origin", "path")}
    content, before = row.get("content") or "", row.get("before")
    migration = spec.migration
    if (migration is not None and before is not None and before != content
            and row.get("category") in migration.categories and len(before) <= migration.max_chars):
        rules = sorted(row.get("rules_applied") or [])
        instruction = migration.template.format(before=before, path=row.get("path") or "",
                                                rules=", ".join(rules), language=row.get("language") or "")
        out.append({**base, "id": instruction_id(row["doc_id"], MIGRATION, 0, len(before.encode())),
                    "kind": MIGRATION, "instruction": instruction, "response": content, "rules": rules})
    if spec.documented is not None and row.get("language") in languages:
        for fn in documented_functions(content, row.get("path") or "", row.get("language")):
            if len(fn.doc.description.split()) < spec.documented.min_words:
                continue
            out.append({**base, "id": instruction_id(row["doc_id"], DOCUMENTED, fn.start_byte, fn.end_byte),
                        "kind": DOCUMENTED, "description": fn.doc.description, "name": fn.name,
                        "params": params_text(fn.doc), "returns": returns_text(fn.doc),
                        "response": fn.implementation, "rules": []})
    return out


def _candidate_batches(spec: Instructions, languages: tuple[str, ...]):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        for batch in batches:
            rows = []
            for row in batch.to_pylist():
                try:
                    rows.extend(candidates(row, spec, languages))
                except Exception:  # noqa: BLE001 - a document we cannot mine gives no pairs
                    continue
            yield pa.RecordBatch.from_pylist(rows, schema=_CANDIDATE_ARROW)
    return run


def sentence_pipeline(spark: SparkSession, input_col: str, output_col: str) -> PipelineModel:
    """Rule-based Spark NLP pipeline (nothing downloaded), as the filter stage's: DocumentAssembler
    (whitespace cleanup) → SentenceDetector → Finisher; ``output_col`` is array<string>."""
    from sparknlp.annotator import SentenceDetector
    from sparknlp.base import DocumentAssembler, Finisher

    stages = [
        DocumentAssembler().setInputCol(input_col).setOutputCol("_ins_document").setCleanupMode("shrink"),
        SentenceDetector().setInputCols(["_ins_document"]).setOutputCol("_ins_sentence"),
        Finisher().setInputCols(["_ins_sentence"]).setOutputCols([output_col])
        .setIncludeMetadata(False).setCleanAnnotations(True),
    ]
    return Pipeline(stages=stages).fit(spark.createDataFrame([], f"`{input_col}` string"))


def instruction_rows(gold: DataFrame, originals: DataFrame, spec: Instructions,
                     languages: tuple[str, ...], run_id: str) -> DataFrame:
    """``gold/instructions`` rows from gold documents and the transform's input (``doc_id``,
    ``content``: the original texts). Empty when the pack has no ``instructions`` section."""
    spark = gold.sparkSession
    before = originals.select("doc_id", F.col("content").alias("_original"))
    docs = (gold.join(before, "doc_id", "left")
            .withColumn("before", F.when(F.col("_original") != F.col("content"), F.col("_original")))
            .select("doc_id", "source", "origin", "path", "language", "category", "rules_applied",
                    "content", "before"))
    found = docs.mapInArrow(_candidate_batches(spec, languages), _CANDIDATE)
    migration = found.where(F.col("kind") == MIGRATION)
    documented = found.where(F.col("kind") == DOCUMENTED)
    if spec.documented is not None:
        template = spec.documented.template
        fmt = F.udf(lambda sentences, name, params, returns: template.format(
            description="\n".join(s.strip() for s in sentences or [] if s.strip()),
            name=name or "", params=params or "", returns=returns or ""), T.StringType())
        documented = (sentence_pipeline(spark, "description", "_sentences").transform(documented)
                      .withColumn("instruction", fmt("_sentences", "name", "params", "returns")))
    columns = ["id", "doc_id", "kind", "instruction", "response", "rules", "source", "origin", "path"]
    return (migration.select(*columns).unionByName(documented.select(*columns))
            .where(F.length(F.trim("instruction")) > 0)
            .withColumn("run_id", F.lit(run_id)))
