"""Spark Python workers settle once: zip archives on the path are re-read only when they
change (PySpark invalidates import caches before every task), long-lived objects are
frozen out of the per-task garbage collection, and nothing of this touches the driver."""

from __future__ import annotations

import gc
import zipfile
import zipimport
from collections.abc import Iterator

import pyarrow as pa

from corpusforge import python_worker


def _zip(path, body: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mod_in_zip.py", body)


def test_a_zipimporter_rereads_its_archive_only_when_it_changed(tmp_path):
    archive = tmp_path / "lib.zip"
    _zip(archive, "VALUE = 1\n")
    reads: list[str] = []

    def counting(self):  # the stdlib behaviour, counted
        reads.append(self.archive)

    invalidate = python_worker._invalidate_if_changed(counting)
    importer = zipimport.zipimporter(str(archive))
    invalidate(importer)
    invalidate(importer)
    assert len(reads) == 1  # the first call reads and remembers the archive's stamp
    _zip(archive, "VALUE = 2  # a longer body changes the size\n")
    invalidate(importer)
    invalidate(importer)
    assert len(reads) == 2
    archive.unlink()
    invalidate(importer)  # a vanished archive is handed to the stdlib each time
    invalidate(importer)
    assert len(reads) == 4


def test_settle_and_freeze_do_nothing_on_the_driver():
    before = zipimport.zipimporter.invalidate_caches
    frozen = gc.get_freeze_count()
    python_worker.settle()
    python_worker.freeze("test")
    assert zipimport.zipimporter.invalidate_caches is before
    assert gc.get_freeze_count() == frozen


def test_workers_settle_when_a_batch_function_asks(spark):
    def _report(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import gc
        import zipimport

        from corpusforge import python_worker as worker

        worker.settle()
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{
            "patched": zipimport.zipimporter.invalidate_caches.__module__ == worker.__name__,
            "frozen": gc.get_freeze_count()}])

    rows = spark.range(0, 4, numPartitions=2).mapInArrow(_report, "patched boolean, frozen long").collect()
    assert rows and all(r.patched for r in rows)
    assert all(r.frozen > 0 for r in rows)
