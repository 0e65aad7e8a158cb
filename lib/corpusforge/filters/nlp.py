"""Spark NLP plumbing for the text-quality filter: words and stop-word counts as columns.

A rule-based pipeline only (nothing pretrained, nothing downloaded): DocumentAssembler →
SentenceDetector → Tokenizer → Normalizer (letters, lowercase) → StopWordsCleaner with the
stop-word list from config. It runs inside the JVM over a DataFrame column; the Gopher
rules over its output are plain Python (``filters/text_quality.py``).

The SentenceDetector splits on SENTENCE_BOUNDS only: its default "pragmatic" rules
(abbreviations, lists, numbers) take twice as long over code comments and do not change
the words the rules count (the words match ``text_quality.plain_words``; tested).
"""

from __future__ import annotations

from collections.abc import Iterable

from pyspark.ml import Pipeline, PipelineModel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

# Sentence ends: ., ! or ? before whitespace, and line breaks (comments are line-oriented).
SENTENCE_BOUNDS = (r"(?<=[.!?])\s+", r"\n")


def build_pipeline(spark, input_col: str, stopwords: Iterable[str], prefix: str = "_nlp") -> PipelineModel:
    """The fitted pipeline reading ``input_col``; it adds ``<prefix>_words`` (normalised
    words) and ``<prefix>_clean`` (the words that are not stop words), both array<string>.

    Fitting reads no data (it is fitted on an empty frame): every stage is rule-based.
    """
    from sparknlp.annotator import Normalizer, SentenceDetector, StopWordsCleaner, Tokenizer
    from sparknlp.base import DocumentAssembler, Finisher

    stages = [
        DocumentAssembler().setInputCol(input_col).setOutputCol(f"{prefix}_document"),
        SentenceDetector().setInputCols([f"{prefix}_document"]).setOutputCol(f"{prefix}_sentence")
        .setCustomBounds(list(SENTENCE_BOUNDS)).setUseCustomBoundsOnly(True),
        Tokenizer().setInputCols([f"{prefix}_sentence"]).setOutputCol(f"{prefix}_token"),
        Normalizer().setInputCols([f"{prefix}_token"]).setOutputCol(f"{prefix}_normal").setLowercase(True),
        StopWordsCleaner().setInputCols([f"{prefix}_normal"]).setOutputCol(f"{prefix}_cleaned")
        .setStopWords(sorted(stopwords)).setCaseSensitive(False),
        Finisher().setInputCols([f"{prefix}_normal", f"{prefix}_cleaned"])
        .setOutputCols([f"{prefix}_words", f"{prefix}_clean"]).setIncludeMetadata(False)
        .setCleanAnnotations(True),
    ]
    empty = spark.createDataFrame([], f"`{input_col}` string")
    return Pipeline(stages=stages).fit(empty)


def add_word_columns(df: DataFrame, input_col: str, stopwords: Iterable[str],
                     words_col: str = "nlp_words", stop_count_col: str = "nlp_stop_words") -> DataFrame:
    """``df`` with ``words_col`` (array<string>: the normalised words of ``input_col``, empty
    for null or blank text) and ``stop_count_col`` (int: how many of them are stop words)."""
    prefix = "_nlp"
    model = build_pipeline(df.sparkSession, input_col, stopwords, prefix)
    words, clean = f"{prefix}_words", f"{prefix}_clean"
    return (model.transform(df)
            .withColumn(stop_count_col, F.size(words) - F.size(clean))
            .withColumnRenamed(words, words_col)
            .drop(clean))
