"""The corpus the tokenizer and shards read: the most refined document table there is.

``gold/documents`` once the transform stage has run, else ``silver/deduped``, else
``silver/filtered``; always with provenance (source, origin, path, license) and a category:
``framework`` (the company's code), ``aligned`` (public code rewritten to the framework),
``public`` (public code left as it was) or ``text`` (natural-language documents).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.errors import InputError

CATEGORIES = ("framework", "aligned", "public", "text")
FRAMEWORK_STYLE = ("framework", "aligned")
TEXT_LANGUAGES = ("text", "markdown")
COLUMNS = ("doc_id", "source", "origin", "path", "language", "license", "content", "category")


def _category(gold_category: Column | None = None) -> Column:
    derived = (F.when(F.col("source") == "framework", F.lit("framework"))
               .when(F.col("language").isin(*TEXT_LANGUAGES), F.lit("text"))
               .otherwise(F.lit("public")))
    if gold_category is None:
        return derived
    return F.when(gold_category.isin("framework", "aligned"), gold_category).otherwise(derived)


def corpus_table(spark: SparkSession, warehouse: str) -> str:
    """Name of the table the corpus comes from (the most refined that exists)."""
    for spec in (tables.GOLD_DOCUMENTS, tables.SILVER_DEDUPED, tables.SILVER_FILTERED):
        if tables.table_exists(spark, warehouse, spec):
            return spec.name
    raise InputError("no document table to read: silver/filtered does not exist",
                     path=tables.SILVER_FILTERED.path(warehouse), stage="corpus",
                     hint="run ./spark-submit.sh pipeline (ingest and filter) first")


def read_corpus(spark: SparkSession, warehouse: str) -> DataFrame:
    """The corpus with the columns in ``COLUMNS``."""
    name = corpus_table(spark, warehouse)
    df = tables.read_table(spark, warehouse, tables.TABLES[name])
    if name == tables.GOLD_DOCUMENTS.name:
        missing = [c for c in ("source", "origin", "path", "language", "license") if c not in df.columns]
        if missing:
            # Provenance from the silver table the transform read, by doc_id.
            silver_spec = (tables.SILVER_DEDUPED if tables.table_exists(spark, warehouse, tables.SILVER_DEDUPED)
                           else tables.SILVER_FILTERED)
            silver = tables.read_table(spark, warehouse, silver_spec).select("doc_id", *missing)
            df = df.join(silver, "doc_id", "left")
        return df.withColumn("category", _category(F.col("category"))).select(*COLUMNS)
    return df.withColumn("category", _category()).select(*COLUMNS)
