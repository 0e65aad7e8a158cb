"""One session writes and reads a Delta table and runs a Spark NLP rule-based pipeline."""

from chispa import assert_df_equality
from pyspark.ml import Pipeline
from pyspark.sql import functions as F


def test_delta_and_spark_nlp_in_one_session(spark, tmp_path):
    from sparknlp.annotator import Normalizer, SentenceDetector, StopWordsCleaner, Tokenizer
    from sparknlp.base import DocumentAssembler, Finisher

    df = spark.createDataFrame(
        [(1, "State lives in hooks. Effects run after render!"), (2, "Tokens are counted.")],
        "id INT, text STRING")
    path = str(tmp_path / "delta_t")
    df.write.format("delta").save(path)
    back = spark.read.format("delta").load(path)
    assert_df_equality(back, df, ignore_row_order=True)
    assert spark.sql(f"DESCRIBE HISTORY delta.`{path}`").count() == 1

    pipeline = Pipeline(stages=[
        DocumentAssembler().setInputCol("text").setOutputCol("document"),
        SentenceDetector().setInputCols(["document"]).setOutputCol("sentence"),
        Tokenizer().setInputCols(["sentence"]).setOutputCol("token"),
        Normalizer().setInputCols(["token"]).setOutputCol("normal").setLowercase(True),
        StopWordsCleaner().setInputCols(["normal"]).setOutputCol("clean"),
        Finisher().setInputCols(["sentence", "clean"]),
    ])
    out = pipeline.fit(back).transform(back).orderBy("id")
    rows = out.select("id", "finished_sentence", "finished_clean").collect()
    assert rows[0]["finished_sentence"] == ["State lives in hooks.", "Effects run after render!"]
    assert rows[0]["finished_clean"] == ["state", "lives", "hooks", "effects", "run", "render"]
    assert rows[1]["finished_clean"] == ["tokens", "counted"]


def test_session_settings(spark):
    conf = spark.sparkContext.getConf()
    assert spark.conf.get("spark.sql.extensions") == "io.delta.sql.DeltaSparkSessionExtension"
    assert spark.conf.get("spark.sql.execution.arrow.pyspark.enabled") == "true"
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"
    assert "delta-spark" in conf.get("spark.jars") and "spark-nlp" in conf.get("spark.jars")
    assert spark.range(3).select(F.sum("id")).first()[0] == 3


def test_spread_gives_a_small_input_four_partitions_per_core_and_leaves_a_large_one(spark):
    from corpusforge.spark import spread

    cores = spark.sparkContext.defaultParallelism
    small = spark.range(100).coalesce(1)
    spread_small = spread(small)
    assert spread_small.rdd.getNumPartitions() == 4 * cores
    assert sorted(r.id for r in spread_small.collect()) == list(range(100))  # same rows
    large = spark.range(100).repartition(4 * cores + 3)
    assert spread(large) is large  # enough splits already: no shuffle added
