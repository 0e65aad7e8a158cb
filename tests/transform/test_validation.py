"""Validation helpers and the shipped samples: re-parse, idempotence, categories, calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusforge.transform import rewrite_source
from corpusforge.transform.validation import (
    ALIGNED,
    FRAMEWORK,
    PUBLIC,
    category,
    framework_calls,
    is_idempotent,
    reparse_clean,
)

ROOT = Path(__file__).resolve().parents[2]
GITHUB = sorted(p for p in (ROOT / "samples" / "github").rglob("*")
                if p.suffix in (".ts", ".tsx", ".js", ".jsx") and p.is_file()
                and not {"node_modules", "dist"} & set(p.parts))
FRAMEWORK_APPS = sorted((ROOT / "samples" / "framework" / "apps").rglob("*.ts*"))


def test_categories(pack):
    aligned = rewrite_source("import { useState } from 'react';\nuseState(1);\n", "a.ts", pack)
    untouched = rewrite_source("export const x = 1;\n", "a.ts", pack)
    rejected = rewrite_source("import { useState } from 'react';\nuseState(1);\neval('1');\n", "a.ts", pack)
    assert category(aligned) == ALIGNED
    assert category(untouched) == PUBLIC
    assert category(rejected) == PUBLIC and rejected.reject_reason == "constraint:eval"
    assert category(untouched, framework_source=True) == FRAMEWORK


def test_framework_calls_count_calls_news_and_jsx_into_framework_modules(pack):
    code = ("import { DFrame } from '@acme/dframe';\nimport { ONCE } from '@acme/once';\n"
            "const DFrameLocal = { useState: () => 1 };\n"
            "DFrame.useState(1); ONCE.apiClient.get('/x'); new ONCE.errors.ApiError(1, b);\n"
            "DFrameLocal.useState(); const e = <DFrame.ErrorBoundary fallback={null} />;\n")
    assert framework_calls(code, "a.tsx", pack) == 4


@pytest.mark.parametrize("path", GITHUB, ids=lambda p: str(p.relative_to(ROOT / "samples" / "github")))
def test_every_sample_rewrite_reparses_and_is_idempotent(pack, path):
    result = rewrite_source(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), pack)
    assert reparse_clean(result)
    assert is_idempotent(result, pack)


def test_the_dashboard_hard_cases(pack):
    base = ROOT / "samples" / "github" / "react-dashboard" / "src"
    search = rewrite_source((base / "components/SearchBox.tsx").read_text(), "SearchBox.tsx", pack)
    # The parameter and the local function named useState are untouched; the import's uses are not.
    assert search.text.count("DFrame.useState") == 1 and "useState: StateHook" in search.text
    assert "function useState<S>" in search.text
    cached = rewrite_source((base / "api/cachedFetch.ts").read_text(), "cachedFetch.ts", pack)
    assert "function fetch(key: string)" in cached.text and "return await fetch();" in cached.text
    table = rewrite_source((base / "components/UserTable.tsx").read_text(), "UserTable.tsx", pack)
    assert "labelCache.get(role)" in table.text and "useState( inside" in table.text
    assert "// We don't fetch here" in table.text


@pytest.mark.parametrize("path", FRAMEWORK_APPS, ids=lambda p: p.name)
def test_framework_apps_already_follow_the_pack(pack, path):
    text = path.read_text(encoding="utf-8")
    result = rewrite_source(text, path.name, pack)
    assert set(result.rules_fired) <= {"jest-mock-fn"}  # their tests still use jest.fn()
    if not result.rules_fired:
        assert result.text == text
    assert result.framework_calls > 0
    assert result.constraints == {}


def test_partial_rewrites_can_be_reverted(pack):
    code = ("import { useState } from 'react';\n"
            "export async function load(url: string) {\n"
            "  const [a] = useState(0);\n"
            "  const res = await fetch(url, { credentials: 'include' });\n"
            "  return [a, res];\n}\n")
    kept = rewrite_source(code, "a.ts", pack)
    assert kept.changed and kept.unsupported == {"fetch-json": 1}
    reverted = rewrite_source(code, "a.ts", pack, partial="revert")
    assert reverted.text == code and reverted.rules_fired == {} and category(reverted) == PUBLIC
    assert reverted.unsupported == {"fetch-json": 1}
    assert "reverted" in [d.code for d in reverted.diagnostics]
    assert reverted.constraints == {"raw_fetch": 1}
    full = rewrite_source("import { useState } from 'react';\nexport const f = () => useState(0);\n", "b.ts", pack,
                          partial="revert")
    assert full.changed and category(full) == ALIGNED


def test_a_failing_document_is_rejected_not_raised():
    from corpusforge.transform.stage import DocumentTransform

    broken = DocumentTransform(pack_text="name: x\n", pack_source="broken.yaml", languages=("typescript",))
    row = {"doc_id": "d", "source": "github", "origin": "o", "path": "a.ts", "language": "typescript",
           "license": "MIT", "size_bytes": 3, "content": "x;\n"}
    out = broken.apply(row)
    assert out["reason"] == "transform_error" and "framework" in out["detail"]
    assert out["content"] == "x;\n" and out["valid"] is False
    assert broken.apply(dict(row, language="markdown"))["reason"] is None  # not parsed: passes
