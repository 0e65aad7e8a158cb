import json
import os
from pathlib import Path

import pytest

from corpusforge.sources.content import ContentLimits
from corpusforge.sources.records import (ABSOLUTE_PATH, ARCHIVE_TOO_LARGE,
                                         ARCHIVE_TOO_MANY_MEMBERS, BINARY, CORRUPT_ARCHIVE,
                                         DUPLICATE_INPUT, PATH_TRAVERSAL, SPECIAL_MEMBER,
                                         TOO_LARGE, UNREADABLE, UNSUPPORTED_TYPE, is_reject)
from corpusforge.sources.tarball import ArchiveLimits, read_npm_tarball
from tests.fixtures import hostile_archives as hostile

LIMITS = ArchiveLimits(max_members=20, max_total_bytes=10_000_000, max_member_bytes=100_000)
LICENSES = Path(__file__).parent / "fixtures" / "licenses"
GOOD_PATHS = {"package.json", "src/index.ts", "README.md"}


def read(path: str, **kwargs) -> list[dict]:
    return list(read_npm_tarball(path, content_limits=ContentLimits(),
                                 archive_limits=kwargs.pop("archive_limits", LIMITS), **kwargs))


def rejects(records: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["path"], r["reason"], r["detail"]) for r in records if is_reject(r)]


def test_good_package(tmp_path: Path):
    records = read(hostile.write_good_package(str(tmp_path)))
    assert [(r["path"], r["language"], r["reason"]) for r in records] == [
        ("package.json", "json", None),
        ("src/index.ts", "typescript", None),
        ("README.md", "markdown", None),
    ]
    assert {(r["source"], r["origin"], r["license"], r["license_evidence"])
            for r in records} == {("npm", "good-package@1.2.3", "MIT", "package.json:license")}
    index = records[1]
    assert index["content"] == hostile.GOOD_INDEX_TS
    assert index["size_bytes"] == len(hostile.GOOD_INDEX_TS)


@pytest.mark.parametrize("builder, path, reason, detail", [
    (hostile.write_traversal, "../../evil.ts", PATH_TRAVERSAL,
     "member name 'package/../../evil.ts' climbs out of the archive with '..'"),
    (hostile.write_absolute, "/tmp/evil.ts", ABSOLUTE_PATH,
     "member name '/tmp/evil.ts' is an absolute path"),
    (hostile.write_symlink, "evil-link.ts", SPECIAL_MEMBER,
     "symlink member pointing to '/etc/passwd'"),
    (hostile.write_hardlink, "evil-hard.ts", SPECIAL_MEMBER,
     "hardlink member pointing to '/etc/passwd'"),
    (hostile.write_char_device, "evil-null", SPECIAL_MEMBER, "character device member (1,3)"),
    (hostile.write_fifo, "evil-fifo", SPECIAL_MEMBER, "fifo member"),
])
def test_hostile_members_are_rejected_and_the_rest_kept(tmp_path, builder, path, reason,
                                                        detail):
    records = read(builder(str(tmp_path)))
    assert rejects(records) == [(path, reason, detail)]
    assert {r["path"] for r in records if not is_reject(r)} == GOOD_PATHS
    assert {r["origin"] for r in records} == {"good-package@1.2.3"}


@pytest.mark.parametrize("builder, reason, detail_start", [
    (hostile.write_tar_bomb, ARCHIVE_TOO_LARGE, "declared sizes reach 11000000 bytes after 11"),
    (hostile.write_too_many_members, ARCHIVE_TOO_MANY_MEMBERS, "more than 20 members"),
    (hostile.write_corrupt, CORRUPT_ARCHIVE, "corrupt or truncated archive: ReadError"),
    (hostile.write_truncated, CORRUPT_ARCHIVE, "corrupt or truncated archive: EOFError"),
])
def test_whole_archive_rejects(tmp_path, builder, reason, detail_start):
    path = builder(str(tmp_path))
    records = read(path)
    assert len(records) == 1
    record = records[0]
    assert (record["origin"], record["path"], record["reason"]) == (
        os.path.basename(path), os.path.basename(path), reason)
    assert record["detail"].startswith(detail_start) and "\n" not in record["detail"]


def test_whole_archive_reject_uses_the_given_origin(tmp_path: Path):
    records = read(hostile.write_corrupt(str(tmp_path)), origin="left-pad@1.3.0")
    assert [(r["origin"], r["path"]) for r in records] == [("left-pad@1.3.0", "corrupt.tgz")]


def test_tar_bomb_within_a_larger_cap_is_read_member_by_member(tmp_path: Path):
    path = hostile.write_tar_bomb(str(tmp_path), members=3, member_bytes=200_000)
    records = read(path, origin="bomb@1.0.0")
    assert [(r["path"], r["reason"]) for r in records] == [
        (f"evil-zeros-{i:03d}.txt", TOO_LARGE) for i in range(3)]
    assert records[0]["detail"] == "200000 bytes, over the cap of 100000 bytes"


def test_reading_hostile_archives_writes_nothing_to_disk(tmp_path, monkeypatch):
    archives = tmp_path / "archives"
    archives.mkdir()
    paths = hostile.write_all_hostile(str(archives))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)

    def snapshot(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*")}

    before = (snapshot(tmp_path), snapshot(work))
    for path in paths.values():
        read(path)
    assert (snapshot(tmp_path), snapshot(work)) == before
    assert before[1] == set()
    evil = [os.path.join(d, f) for d, dirs, files in os.walk("/tmp")
            for f in files + dirs if f.startswith("evil")]
    assert evil == []


def test_missing_archive_is_unreadable(tmp_path: Path):
    records = read(str(tmp_path / "nope.tgz"))
    assert [(r["path"], r["reason"]) for r in records] == [("nope.tgz", UNREADABLE)]


def test_origin_from_the_given_name_when_package_json_is_missing(tmp_path: Path):
    path = hostile.write_package(str(tmp_path), "x.tgz", {
        "package/index.ts": b"export {};\n",
        "package/LICENSE": (LICENSES / "bsd-3-clause.txt").read_bytes(),
    })
    records = read(path, origin="x@1.0.0")
    assert {(r["path"], r["origin"], r["license"], r["license_evidence"]) for r in records} == {
        ("index.ts", "x@1.0.0", "BSD-3-Clause", "LICENSE"),
        ("LICENSE", "x@1.0.0", "BSD-3-Clause", "LICENSE"),
    }


def test_scoped_package_with_another_top_folder(tmp_path: Path):
    package = {"name": "@types/thing", "version": "4.0.1", "license": "Apache 2.0"}
    path = hostile.write_package(str(tmp_path), "types-thing-4.0.1.tgz", {
        "thing/package.json": json.dumps(package).encode(),
        "thing/index.d.ts": b"export declare const x: number;\n",
    })
    records = read(path)
    assert [(r["origin"], r["path"], r["language"], r["license"]) for r in records] == [
        ("@types/thing@4.0.1", "package.json", "json", "Apache-2.0"),
        ("@types/thing@4.0.1", "index.d.ts", "dts", "Apache-2.0"),
    ]


def test_member_content_checks(tmp_path: Path):
    png = (Path(__file__).resolve().parents[2] / "samples" / "bad" / "binary.png").read_bytes()
    path = hostile.write_package(str(tmp_path), "mixed.tgz", {
        "package/logo.png": png,
        "package/.travis.yml": b"language: node_js\n",
        "package/src/a.ts": b"export const a = 1;\n",
        "package/src/../src/a.ts": b"export const b = 2;\n",
    })
    records = read(path, origin="mixed@0.1.0")
    assert [(r["path"], r["reason"]) for r in records] == [
        ("logo.png", BINARY),
        (".travis.yml", UNSUPPORTED_TYPE),
        ("src/a.ts", None),
        ("src/../src/a.ts", PATH_TRAVERSAL),
    ]


def test_duplicate_member_names_keep_the_first(tmp_path: Path):
    path = hostile.write_package(str(tmp_path), "dup.tgz", {
        "package/a.ts": b"export const first = 1;\n",
        "other/a.ts": b"export const second = 2;\n",
    })
    records = read(path)
    assert [(r["path"], r["reason"], r["content"]) for r in records] == [
        ("a.ts", None, "export const first = 1;\n"),
        ("a.ts", DUPLICATE_INPUT, None),
    ]
