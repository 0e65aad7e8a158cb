"""The opt-out list (corpusforge.optout) and the source_url of ingested documents, without Spark."""

from __future__ import annotations

import pytest

from corpusforge.errors import ConfigError
from corpusforge.optout import OptOutList, load_opt_out, origin_name, origin_owner
from corpusforge.sources.urls import location_url, npm_tarball_url, work_item_url

LIST = OptOutList(origins=("left-pad", "acme/widgets", "react-app@1.0.0"), owners=("@scoped", "bigco"),
                  paths=("*/internal/*", "*.secret.ts"), source="conf/opt_out.yaml")


@pytest.mark.parametrize(("origin", "path", "entry"), [
    ("left-pad@1.3.0", "index.js", "origins: left-pad"),          # every version of a package
    ("react-app@1.0.0", "src/App.tsx", "origins: react-app@1.0.0"),  # one version
    ("acme/widgets", "src/a.ts", "origins: acme/widgets"),        # a Stack repository
    ("@scoped/ui@2.0.0", "a.ts", "owners: @scoped"),              # an npm scope
    ("bigco/tools", "a.ts", "owners: bigco"),                     # a repository owner
    ("app@3f2a9c1d0e4b", "src/internal/db.ts", "paths: */internal/*"),
    ("app@3f2a9c1d0e4b", "keys.secret.ts", "paths: *.secret.ts"),
])
def test_each_kind_of_entry_opts_out_with_the_entry_named(origin, path, entry):
    assert LIST.match(origin, path) == f"{entry} (conf/opt_out.yaml)"


@pytest.mark.parametrize(("origin", "path"), [
    ("left-pad-extra@1.0.0", "index.js"), ("react-app@1.0.1", "src/App.tsx"),
    ("acme/widgets-two", "a.ts"), ("other/tools", "a.ts"), ("app@3f2a", "src/internals.ts"), (None, None)])
def test_near_misses_are_not_opted_out(origin, path):
    assert LIST.match(origin, path) is None


def test_origin_name_and_owner():
    assert origin_name("@s/pkg@1.0.0") == "@s/pkg" and origin_name("app@3f2a") == "app"
    assert origin_name("acme/repo") == "acme/repo"
    assert origin_owner("@s/pkg@1.0.0") == "s" and origin_owner("acme/repo") == "acme"
    assert origin_owner("left-pad@1.3.0") is None


def test_load_reads_the_shipped_empty_list_and_refuses_bad_files(tmp_path):
    assert not load_opt_out("conf/opt_out.yaml") and not load_opt_out(None)
    good = tmp_path / "o.yaml"
    good.write_text("origins: [left-pad]\npaths: ['*/internal/*']\n")
    loaded = load_opt_out(str(good))
    assert loaded.origins == ("left-pad",) and loaded.paths == ("*/internal/*",) and loaded
    bad = tmp_path / "bad.yaml"
    bad.write_text("origin: [left-pad]\n")
    with pytest.raises(ConfigError, match="keys origins, owners, paths"):
        load_opt_out(str(bad))
    bad.write_text("owners: acme\n")
    with pytest.raises(ConfigError, match="'owners' must be a list"):
        load_opt_out(str(bad))
    with pytest.raises(ConfigError, match="opt-out file does not exist"):
        load_opt_out(str(tmp_path / "missing.yaml"))


def test_source_urls():
    assert npm_tarball_url("is-number@7.0.0") == "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz"
    assert npm_tarball_url("@types/react@18.2.0") == "https://registry.npmjs.org/@types/react/-/react-18.2.0.tgz"
    assert location_url("s3a://bucket/the-stack.parquet") == "s3a://bucket/the-stack.parquet"
    assert location_url("/data/x.jsonl") == "file:///data/x.jsonl"
    assert work_item_url("npm", "/cache/is-number-7.0.0.tgz", "is-number@7.0.0").startswith("https://registry")
    assert work_item_url("npm", "/cache/local.tgz", None) == "file:///cache/local.tgz"
    assert work_item_url("file", "/src/app/a.ts", "app@1.0.0") == "file:///src/app/a.ts"
