"""Every job opens the warehouse: marker written once, incompatible warehouses refused."""

from __future__ import annotations

import json

import pytest

from corpusforge import tables, warehouse
from corpusforge.errors import WarehouseError


def test_new_warehouse_gets_the_marker(spark, tmp_path):
    wh = str(tmp_path / "wh")
    warehouse.open_warehouse(spark, wh)
    marker = tmp_path / "wh" / "_corpusforge.json"
    assert json.loads(marker.read_text())["format_version"] == warehouse.FORMAT_VERSION
    warehouse.open_warehouse(spark, wh)  # a second job accepts it
    assert marker.read_bytes() == warehouse.marker_bytes()


def test_warehouse_from_before_the_marker_is_accepted(spark, tmp_path):
    wh = str(tmp_path / "wh")
    tables.ensure_table(spark, wh, tables.STAGE_RUNS)
    warehouse.open_warehouse(spark, wh)
    assert (tmp_path / "wh" / "_corpusforge.json").is_file()


def test_other_major_format_is_refused(spark, tmp_path):
    marker = tmp_path / "wh" / "_corpusforge.json"
    marker.parent.mkdir()
    marker.write_text(json.dumps({"format": warehouse.FORMAT, "format_version": "7.0"}))
    with pytest.raises(WarehouseError) as err:
        warehouse.open_warehouse(spark, str(tmp_path / "wh"))
    assert "warehouse format 7.0" in str(err.value) and "re-run into a new warehouse" in str(err.value)


def test_table_without_required_columns_is_refused(spark, tmp_path):
    wh = str(tmp_path / "wh")
    old = spark.createDataFrame([("d1", "train", 3)], "doc_id STRING, split STRING, tokens INT")
    old.write.format("delta").save(tables.GOLD_TOKENS.path(wh))
    with pytest.raises(WarehouseError) as err:
        warehouse.open_warehouse(spark, wh)
    message = str(err.value)
    assert message.startswith(f"[warehouse] {tables.GOLD_TOKENS.path(wh)}: table gold/tokens lacks required "
                              "columns category, n_chars, n_bytes, n_tokens, tokenizer_sha256, run_id; ")
    assert "has tokens as int, expected array<int>" in message
    assert "hint: re-run into a new warehouse" in message
    assert not (tmp_path / "wh" / "_corpusforge.json").exists()  # refused: nothing written


def test_current_marker_vouches_for_the_tables_and_an_older_minor_is_checked(spark, tmp_path):
    wh = str(tmp_path / "wh")
    old = spark.createDataFrame([("d1", "train", 3)], "doc_id STRING, split STRING, tokens INT")
    old.write.format("delta").save(tables.GOLD_TOKENS.path(wh))
    marker = tmp_path / "wh" / "_corpusforge.json"
    marker.write_bytes(warehouse.marker_bytes())
    warehouse.open_warehouse(spark, wh)  # no table is opened: the marker says this format wrote them
    marker.write_text(json.dumps({"format": warehouse.FORMAT, "format_version": "1.0-older"}))
    with pytest.raises(WarehouseError, match="table gold/tokens lacks required columns"):
        warehouse.open_warehouse(spark, wh)
