from pathlib import Path

import pytest

from corpusforge.config import Config, load_config
from corpusforge.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_configs_load():
    local = load_config(str(ROOT / "conf/local.yaml"))
    cluster = load_config(str(ROOT / "conf/cluster.yaml"))
    assert local.spark.master == "local[*]"
    assert local.ingest.inputs[0] == "framework:samples/framework"
    assert cluster.warehouse.startswith("s3a://")
    assert cluster.spark.jars.mode == "packages"


def test_unknown_key_names_key_and_file(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("ingest:\n  max_file_byte: 10\n")
    with pytest.raises(ConfigError) as err:
        load_config(str(conf))
    assert "ingest.max_file_byte" in str(err.value)
    assert str(conf) in str(err.value)
    assert "unknown key" in str(err.value)


def test_wrong_type_names_key(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("spark:\n  shuffle_partitions: many\n")
    with pytest.raises(ConfigError, match=r"spark\.shuffle_partitions"):
        load_config(str(conf))


def test_missing_file_is_clear_error():
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("conf/nope.yaml")


def test_overrides_beat_file(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("warehouse: /a\ningest:\n  max_file_bytes: 10\n")
    cfg = load_config(str(conf), {"warehouse": "/b", "ingest.max_file_bytes": 20})
    assert (cfg.warehouse, cfg.ingest.max_file_bytes) == ("/b", 20)


def test_run_id_is_derived_from_content():
    a = Config.model_validate({"ingest": {"inputs": ["dir:x"]}})
    b = Config.model_validate({"ingest": {"inputs": ["dir:x"]}})
    c = Config.model_validate({"ingest": {"inputs": ["dir:y"]}})
    assert a.resolved_run_id() == b.resolved_run_id() != c.resolved_run_id()
    assert Config.model_validate({"run_id": "mine"}).resolved_run_id() == "mine"
    assert Config.model_validate({"run_id": "run-2026.11_a"}).run_id == "run-2026.11_a"
    # Spark tuning does not change what a run produces, so it does not change the id.
    d = Config.model_validate({"ingest": {"inputs": ["dir:x"]}, "spark": {"shuffle_partitions": 3}})
    assert d.resolved_run_id() == a.resolved_run_id()


@pytest.mark.parametrize("run_id", ["o'brien", "../elsewhere", "a b", "", "-x", "x" * 129])
def test_a_run_id_is_one_word_that_names_a_folder(run_id):
    # It names reports/<run_id>/ and goes into table predicates.
    with pytest.raises(ConfigError, match="run_id"):
        load_config(None, {"run_id": run_id})


def test_sql_string_quotes_what_a_predicate_compares(spark):
    from corpusforge.tables import sql_string

    values = ["plain", "o'brien", "back\\slash", "both\\'"]
    rows = spark.sql("SELECT " + ", ".join(sql_string(v) for v in values)).first()
    assert list(rows) == values


def test_no_job_script_shadows_a_standard_library_module():
    """spark-submit puts jobs/ first on sys.path: jobs/tokenize.py once broke every job."""
    import sys

    jobs = {p.stem for p in (ROOT / "jobs").glob("*.py")}
    assert jobs and not jobs & set(sys.stdlib_module_names)
