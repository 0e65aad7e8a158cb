"""One dedup run over the labelled corpus, shared by the stage and accuracy tests."""

from __future__ import annotations

import pytest

from corpusforge import tables
from corpusforge.dedup import stage as dedup_stage
from tests.conftest import make_config
from tests.dedup.corpus import all_docs, silver_frame


@pytest.fixture(scope="session")
def deduped(spark, tmp_path_factory):
    """(config, result, docs) after dedup over all of ``corpus.all_docs()`` at once."""
    docs = all_docs()
    config = make_config(tmp_path_factory.mktemp("dedup") / "wh", run_id="dedup-test")
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, silver_frame(spark, docs))
    result = dedup_stage.run(spark, config)
    return config, result, docs
