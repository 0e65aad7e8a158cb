import json
import os
from pathlib import Path

import pytest

from corpusforge.errors import InputError
from corpusforge.sources.content import ContentLimits
from corpusforge.sources.directory import (ListedFile, list_directory, read_git_commit,
                                           read_listed_file)
from corpusforge.sources.records import (BINARY, EMPTY, GITIGNORED, INVALID_UTF8, MINIFIED,
                                         NUL_BYTES, SKIPPED_DIR, SYMLINK, TOO_LARGE,
                                         UNREADABLE, UNSUPPORTED_TYPE, is_reject)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES_BAD = Path(__file__).resolve().parents[2] / "samples" / "bad"
ROOT_SHA = "0123456789abcdef0123456789abcdef01234567"
FORK_SHA = "fedcba9876543210fedcba9876543210fedcba98"
CAP = 1_000


def write(path: Path, content: str | bytes = "export {};\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def fake_git(checkout: Path, head: str, refs: dict[str, str] | None = None,
             packed: str | None = None) -> None:
    write(checkout / ".git" / "HEAD", head)
    write(checkout / ".git" / "config", "[core]\n\tfsmonitor = touch /tmp/evil-pwned\n")
    for ref, sha in (refs or {}).items():
        write(checkout / ".git" / ref, sha + "\n")
    if packed is not None:
        write(checkout / ".git" / "packed-refs", packed)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git checkout with nested packages, .gitignore files, skipped dirs and symlinks."""
    root = tmp_path / "webapp"
    fake_git(root, "ref: refs/heads/main\n", {"refs/heads/main": ROOT_SHA})
    write(root / "LICENSE", (FIXTURES / "licenses" / "mit.txt").read_text())
    write(root / ".gitignore", "*.log\nsecret/\n")
    write(root / "README.md", "# webapp\n")
    write(root / "src" / "app.ts")
    write(root / "src" / "debug.log", "noise\n")
    write(root / "secret" / "key.ts")
    write(root / "secret" / "deeper" / "more.ts")
    write(root / "node_modules" / "lib" / "index.js")
    write(root / "node_modules" / "lib" / "package.json", "{}")
    write(root / "node_modules" / ".bin" / "tool")
    write(root / "image.png", (SAMPLES_BAD / "binary.png").read_bytes())
    write(root / "config.yml", "a: 1\n")
    write(root / "bin" / "cli", "#!/usr/bin/env node\nconsole.log(1);\n")
    write(root / "big.ts", "x" * (CAP + 1))
    write(root / "tools" / "gen.ts")
    os.symlink("/etc/passwd", root / "link.ts")
    os.symlink("src", root / "linkdir")
    package_a = root / "packages" / "a"
    write(package_a / "package.json", json.dumps({"name": "@scope/a", "version": "1.0.0"}))
    write(package_a / "index.ts")
    write(package_a / ".gitignore", "generated.ts\n!keep.log\n")
    write(package_a / "generated.ts")
    write(package_a / "keep.log", "kept by negation\n")
    package_b = root / "packages" / "b"
    write(package_b / "package.json",
          json.dumps({"name": "b", "version": "2.0.0", "license": "Apache-2.0"}))
    write(package_b / "src" / "x.ts")
    write(package_b / "dist" / "bundle.js")
    fork = root / "forks" / "fork"
    fake_git(fork, FORK_SHA + "\n")
    write(fork / "x.ts")
    return root


def by_path(records: list) -> dict:
    return {(r["origin"], r["path"]): r for r in records}


def test_git_checkout_listing(repo: Path):
    listed, rejects = list_directory(str(repo), source="github", max_file_bytes=CAP)
    root = f"webapp@{ROOT_SHA[:12]}"
    assert [(item.origin, item.path) for item in listed] == [
        ("@scope/a@1.0.0", "index.ts"),
        ("@scope/a@1.0.0", "package.json"),
        ("b@2.0.0", "package.json"),
        ("b@2.0.0", "src/x.ts"),
        (f"fork@{FORK_SHA[:12]}", "x.ts"),
        (root, "LICENSE"),
        (root, "README.md"),
        (root, "bin/cli"),
        (root, "src/app.ts"),
        (root, "tools/gen.ts"),
    ]
    got = {key: (r["reason"], r["detail"]) for key, r in by_path(rejects).items()}
    no_extension = (UNSUPPORTED_TYPE, "unsupported file type (no extension)")
    assert got == {
        ("@scope/a@1.0.0", ".gitignore"): no_extension,
        ("@scope/a@1.0.0", "generated.ts"): (GITIGNORED, "ignored by packages/a/.gitignore"),
        ("@scope/a@1.0.0", "keep.log"): (UNSUPPORTED_TYPE, "unsupported file type (.log)"),
        ("b@2.0.0", "dist/"): (SKIPPED_DIR, "dist/ skipped (1 files)"),
        (f"fork@{FORK_SHA[:12]}", ".git/"): (SKIPPED_DIR, ".git/ skipped (2 files)"),
        (root, ".git/"): (SKIPPED_DIR, ".git/ skipped (3 files)"),
        (root, ".gitignore"): no_extension,
        (root, "big.ts"): (TOO_LARGE, f"{CAP + 1} bytes, over the cap of {CAP} bytes"),
        (root, "config.yml"): (UNSUPPORTED_TYPE, "unsupported file type (.yml)"),
        (root, "image.png"): (BINARY, "binary file type (.png), not read"),
        (root, "link.ts"): (SYMLINK, "symlink to /etc/passwd; links are never followed"),
        (root, "linkdir"): (SYMLINK, "symlink to src; links are never followed"),
        (root, "node_modules/"): (SKIPPED_DIR, "node_modules/ skipped (3 files)"),
        (root, "secret/"): (GITIGNORED, "secret/ ignored by .gitignore (2 files)"),
        (root, "src/debug.log"): (GITIGNORED, "ignored by .gitignore"),
    }
    assert all(r["source"] == "github" for r in rejects)
    assert not Path("/tmp/evil-pwned").exists()  # .git/config was never acted on


def test_origin_licenses_and_inheritance(repo: Path):
    listed, _ = list_directory(str(repo), source="github", max_file_bytes=CAP)
    licenses = {item.origin: (item.license, item.license_evidence) for item in listed}
    assert licenses == {
        f"webapp@{ROOT_SHA[:12]}": ("MIT", "LICENSE"),
        "@scope/a@1.0.0": ("MIT", "../../LICENSE"),
        "b@2.0.0": ("Apache-2.0", "package.json:license"),
        f"fork@{FORK_SHA[:12]}": ("MIT", "../../LICENSE"),
    }


def test_listed_file_locations_and_sizes(repo: Path):
    listed, _ = list_directory(str(repo), source="github", max_file_bytes=CAP)
    item = next(i for i in listed if i.origin == "b@2.0.0" and i.path == "src/x.ts")
    assert item.location == str(repo / "packages" / "b" / "src" / "x.ts")
    assert item.size_bytes == len("export {};\n")


def test_reading_listed_files(repo: Path):
    listed, _ = list_directory(str(repo), source="github", max_file_bytes=CAP)
    records = by_path([read_listed_file(i, source="github", limits=ContentLimits())
                       for i in listed])
    root = f"webapp@{ROOT_SHA[:12]}"
    cli = records[(root, "bin/cli")]
    assert (cli["language"], cli["content"]) == (
        "javascript", "#!/usr/bin/env node\nconsole.log(1);\n")
    app = records[(root, "src/app.ts")]
    assert (app["language"], app["license"], app["license_evidence"]) == (
        "typescript", "MIT", "LICENSE")
    assert not any(is_reject(r) for r in records.values())


def test_plain_directory_origin_names(tmp_path: Path):
    root = tmp_path / "github"
    write(root / "top.ts")
    write(root / "some-dir" / "package.json", json.dumps({"license": "BSD-3-Clause"}))
    write(root / "some-dir" / "x.ts")
    write(root / "named" / "package.json", json.dumps({"name": "only-name"}))
    write(root / "named" / "y.ts")
    write(root / "broken" / "package.json", "{not json")
    write(root / "broken" / "z.ts")
    listed, rejects = list_directory(str(root), source="github", max_file_bytes=CAP)
    assert rejects == []
    assert {(i.origin, i.path, i.license) for i in listed} == {
        ("github", "top.ts", None),
        ("github/some-dir", "package.json", "BSD-3-Clause"),
        ("github/some-dir", "x.ts", "BSD-3-Clause"),
        ("only-name", "package.json", None),
        ("only-name", "y.ts", None),
        ("github/broken", "package.json", None),
        ("github/broken", "z.ts", None),
    }


def test_custom_skip_dirs(tmp_path: Path):
    write(tmp_path / "proj" / "dist" / "a.ts")
    write(tmp_path / "proj" / "fixtures" / "b.ts")
    write(tmp_path / "proj" / "fixtures" / "c.ts")
    listed, rejects = list_directory(str(tmp_path / "proj"), source="dir",
                                     skip_dirs=("fixtures",), max_file_bytes=CAP)
    assert [i.path for i in listed] == ["dist/a.ts"]
    assert [(r["path"], r["reason"], r["detail"]) for r in rejects] == [
        ("fixtures/", SKIPPED_DIR, "fixtures/ skipped (2 files)")]


def test_git_commit_from_packed_refs(tmp_path: Path):
    fake_git(tmp_path, "ref: refs/heads/dev\n",
             packed=f"# pack-refs with: peeled fully-peeled sorted\n{ROOT_SHA} refs/heads/dev\n"
                    f"{FORK_SHA} refs/tags/v1\n")
    assert read_git_commit(str(tmp_path)) == ROOT_SHA


def test_git_commit_refuses_ref_escaping_git_dir(tmp_path: Path):
    write(tmp_path / "outside", ROOT_SHA)
    fake_git(tmp_path / "repo", "ref: refs/../../outside\n")
    assert read_git_commit(str(tmp_path / "repo")) is None


def test_git_head_symlink_is_not_followed(tmp_path: Path):
    write(tmp_path / "elsewhere", ROOT_SHA)
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere", tmp_path / "repo" / ".git" / "HEAD")
    assert read_git_commit(str(tmp_path / "repo")) is None


def test_git_worktree_file(tmp_path: Path):
    fake_git(tmp_path / "main", "ref: refs/heads/main\n", {"refs/heads/main": ROOT_SHA})
    write(tmp_path / "wt" / ".git", "gitdir: ../main/.git\n")
    assert read_git_commit(str(tmp_path / "wt")) == ROOT_SHA


def test_missing_root_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        list_directory(str(tmp_path / "nope"), source="dir", max_file_bytes=CAP)


def test_samples_bad_reasons():
    listed, rejects = list_directory(str(SAMPLES_BAD), source="dir", max_file_bytes=1_000_000)
    records = rejects + [read_listed_file(i, source="dir", limits=ContentLimits())
                         for i in listed]
    reasons = {r["path"]: r["reason"] for r in records}
    assert reasons == {
        "binary.png": BINARY,
        "invalid_utf8.ts": INVALID_UTF8,
        "nul_bytes.ts": NUL_BYTES,
        "empty.ts": EMPTY,
        "minified.bundle.js": MINIFIED,
        "link_to_passwd.ts": SYMLINK,
        "package.json": None,
        "README.md": None,
    }
    assert {(r["origin"], r["license"], r["license_evidence"]) for r in records} == {
        ("bad-inputs@0.0.0", "MIT", "package.json:license")}
    readme = next(r for r in records if r["path"] == "README.md")
    assert readme["content"] == (SAMPLES_BAD / "README.md").read_text()


def listed_file(path: Path, size: int = 11) -> ListedFile:
    return ListedFile(origin="o", path=path.name, location=str(path), license="MIT",
                      license_evidence="LICENSE", size_bytes=size)


def test_read_refuses_a_symlink_swapped_in_after_listing(tmp_path: Path):
    target = write(tmp_path / "a.ts")
    item = listed_file(target)
    target.unlink()
    os.symlink("/etc/passwd", target)
    record = read_listed_file(item, source="dir", limits=ContentLimits())
    assert (record["reason"], record["detail"]) == (
        SYMLINK, "symlink to /etc/passwd; links are never followed")
    assert record["content"] is None


def test_read_refuses_a_file_grown_over_the_cap_without_reading(tmp_path: Path):
    target = write(tmp_path / "a.ts")
    item = listed_file(target)
    with open(target, "ab") as handle:
        handle.truncate(10 * 1024 * 1024)  # sparse: cheap to make, never read
    record = read_listed_file(item, source="dir", limits=ContentLimits())
    assert record["reason"] == TOO_LARGE and record["size_bytes"] == 10 * 1024 * 1024


def test_read_vanished_file_is_unreadable(tmp_path: Path):
    record = read_listed_file(listed_file(tmp_path / "gone.ts"), source="dir",
                              limits=ContentLimits())
    assert record["reason"] == UNREADABLE and "No such file" in record["detail"]
    assert (record["origin"], record["path"], record["license"]) == ("o", "gone.ts", "MIT")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_read_permission_denied_is_unreadable(tmp_path: Path):
    target = write(tmp_path / "secret.ts")
    target.chmod(0)
    record = read_listed_file(listed_file(target), source="dir", limits=ContentLimits())
    assert record["reason"] == UNREADABLE and "Permission denied" in record["detail"]


def test_read_fifo_swapped_in_does_not_block(tmp_path: Path):
    target = tmp_path / "pipe.ts"
    os.mkfifo(target)
    record = read_listed_file(listed_file(target), source="dir", limits=ContentLimits())
    assert record["reason"] == UNSUPPORTED_TYPE


def test_gitignore_anchors_negation_and_bad_patterns(tmp_path: Path):
    root = tmp_path / "proj"
    write(root / ".gitignore", "/top-only.ts\n!\nreports/\n*.tmp.ts\n!keep.tmp.ts\n")
    write(root / "top-only.ts")
    write(root / "sub" / "top-only.ts")
    write(root / "sub" / "reports" / "r.ts")
    write(root / "x.tmp.ts")
    write(root / "keep.tmp.ts")
    listed, rejects = list_directory(str(root), source="dir", max_file_bytes=CAP)
    assert [i.path for i in listed] == ["keep.tmp.ts", "sub/top-only.ts"]
    assert [(r["path"], r["reason"], r["detail"]) for r in rejects] == [
        (".gitignore", UNSUPPORTED_TYPE, "unsupported file type (no extension)"),
        ("sub/reports/", GITIGNORED, "reports/ ignored by .gitignore (1 files)"),
        ("top-only.ts", GITIGNORED, "ignored by .gitignore"),
        ("x.tmp.ts", GITIGNORED, "ignored by .gitignore"),
    ]
