import shutil

import pytest

from corpusforge.errors import InputError
from corpusforge.sources import npm
from corpusforge.sources.content import ContentLimits
from corpusforge.sources.npm import fetch_npm_tarball, parse_npm_spec, tarball_file_name
from corpusforge.sources.tarball import ArchiveLimits, read_npm_tarball


@pytest.mark.parametrize("spec, expected", [
    ("is-number@7.0.0", ("is-number", "7.0.0")),
    ("@types/node@20.11.5", ("@types/node", "20.11.5")),
    ("@scope/pkg.js@1.0.0-beta.2", ("@scope/pkg.js", "1.0.0-beta.2")),
    ("JSONStream@1.3.5", ("JSONStream", "1.3.5")),
    ("  lodash@4.17.21 ", ("lodash", "4.17.21")),
])
def test_parse_npm_spec(spec, expected):
    assert parse_npm_spec(spec) == expected


@pytest.mark.parametrize("spec", [
    "is-number", "is-number@", "is-number@latest", "is-number@^7.0.0", "@types/node",
    "@types@1.0.0", "@/x@1.0.0", "--registry=http://evil@1.0.0", "a b@1.0.0",
    "../x@1.0.0", "x@1.0.0;rm -rf /", "",
])
def test_parse_npm_spec_rejects_bad_specs(spec):
    with pytest.raises(InputError) as raised:
        parse_npm_spec(spec)
    message = str(raised.value)
    assert repr(spec) in message and "name@version" in message


def test_tarball_file_name_matches_npm_pack():
    assert tarball_file_name("@types/node", "20.1.0") == "types-node-20.1.0.tgz"
    assert tarball_file_name("is-number", "7.0.0") == "is-number-7.0.0.tgz"


def test_cached_tarball_is_returned_without_npm(tmp_path, monkeypatch):
    cached = tmp_path / "is-number-7.0.0.tgz"
    cached.write_bytes(b"cached")
    monkeypatch.setattr(npm.shutil, "which", lambda name: pytest.fail("npm was looked up"))
    assert fetch_npm_tarball("is-number@7.0.0", str(tmp_path)) == str(cached)


def test_missing_npm_is_a_clear_input_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(InputError, match="npm is not installed or not on PATH"):
        fetch_npm_tarball("is-number@7.0.0", str(tmp_path / "cache"))


def test_bad_spec_fails_before_npm_runs(tmp_path):
    with pytest.raises(InputError, match="bad npm package spec"):
        fetch_npm_tarball("is-number@latest", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")


@pytest.mark.network
@needs_npm
def test_fetch_real_package_and_read_it(tmp_path):
    cache = tmp_path / "cache"
    path = fetch_npm_tarball("is-number@7.0.0", str(cache))
    assert path == str(cache / "is-number-7.0.0.tgz")
    assert [p.name for p in cache.iterdir()] == ["is-number-7.0.0.tgz"]  # staging removed
    records = list(read_npm_tarball(path, content_limits=ContentLimits(),
                                    archive_limits=ArchiveLimits()))
    assert {(r["origin"], r["license"], r["license_evidence"]) for r in records} == {
        ("is-number@7.0.0", "MIT", "package.json:license")}
    assert {r["path"] for r in records} == {"package.json", "index.js", "LICENSE", "README.md"}
    assert all(r["reason"] is None for r in records)


@pytest.mark.network
@needs_npm
def test_fetch_missing_version_reports_npm_stderr(tmp_path):
    with pytest.raises(InputError) as raised:
        fetch_npm_tarball("is-number@99.0.0", str(tmp_path))
    assert "npm pack failed" in str(raised.value) and "No matching version" in str(raised.value)
    assert list(tmp_path.iterdir()) == []  # staging folder removed, nothing cached
