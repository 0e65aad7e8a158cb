"""tsc --noEmit over rewritten files against conf/framework/<module>.d.ts (skipped without node).

TypeScript is fetched with `npm pack` into ~/.cache/corpusforge/npm the first time.
"""

from __future__ import annotations

import shutil

import pytest

from corpusforge.transform import rewrite_source
from corpusforge.errors import InputError
from corpusforge.transform.typecheck import find_tsc, scratch_path, typecheck

from .conftest import CASES, ROOT

FRAMEWORK_DIR = ROOT / "conf" / "framework"
# Golden cases whose output needs nothing outside the file but the framework: all must pass.
SELF_CONTAINED = [
    "named_hook_imports", "aliased_import", "namespace_import", "react_usestate_generic",
    "type_only_import", "react_types", "tsx_generics", "jsx_fragment_members", "fetch_then_json",
    "template_literal_url", "window_fetch", "catch_console_error", "shorthand_property", "axios_types",
    "merge_into_framework_import", "axios_require_commonjs", "nested_rewrites", "axios_aliased_default",
]


@pytest.fixture(scope="module")
def tsc():
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    found = find_tsc()
    if found is None:
        pytest.skip("typescript could not be fetched with npm pack")
    return found


def _outputs(pack, names):
    files = {}
    for name in names:
        source = next((CASES / name).glob("input.*"))
        result = rewrite_source(source.read_text(encoding="utf-8"), f"src/{name}{source.suffix}", pack)
        assert result.changed and result.valid
        files[f"{name}{source.suffix}"] = result.text
    return files


def test_self_contained_rewrites_type_check_against_the_framework_declarations(pack, tsc):
    report = typecheck(_outputs(pack, SELF_CONTAINED), FRAMEWORK_DIR, tsc)
    assert report.errors == []
    assert report.pass_rate() == 1.0


def test_the_checker_reports_type_errors_and_unresolved_modules_apart(tsc):
    files = {
        "wrong.ts": "import { DFrame } from '@acme/dframe';\nexport const n: string = DFrame.useState(1)[0];\n",
        "elsewhere.ts": "import { helper } from './helper';\nexport const x = helper;\n",
        "fine.tsx": "import { DFrame } from '@acme/dframe';\nexport const A: DFrame.FC = () => <p>hi</p>;\n",
    }
    report = typecheck(files, FRAMEWORK_DIR, tsc)
    assert report.failed() == {"wrong.ts", "elsewhere.ts"}
    assert report.failed(ignore_unresolved=True) == {"wrong.ts"}
    assert report.pass_rate() == pytest.approx(1 / 3)
    assert [e.code for e in report.errors if e.file == "wrong.ts"] == ["TS2322"]


def test_the_framework_apps_type_check_against_the_declarations_alone(tsc):
    """conf/framework/<module>.d.ts and samples/framework declare the same API: the apps written
    against the implementation also compile against the declarations."""
    apps = ROOT / "samples" / "framework" / "apps"
    files = {str(p.relative_to(apps)): p.read_text(encoding="utf-8") for p in sorted(apps.rglob("*.ts*"))}
    report = typecheck(files, FRAMEWORK_DIR, tsc)
    assert report.errors == []


def test_context_files_resolve_relative_imports_and_are_not_checked(tsc):
    # As in its repository: ./types is a sibling of the checked file. An error inside a
    # context file is not the checked file's.
    files = {"pkg/src/app.ts": "import { DFrame } from '@acme/dframe';\nimport type { User } from './types';\n"
                               "export const [u] = DFrame.useState<User | null>(null);\n"}
    context = {"pkg/src/types.ts": "export interface User { id: string }\nexport const broken: number = 'x';\n",
               "../outside.ts": "export const x = 1;\n",
               "pkg/./src/app.ts": "the checked file's own text, which a context copy must not replace"}
    alone = typecheck(files, FRAMEWORK_DIR, tsc)
    assert alone.failed() == {"pkg/src/app.ts"} and alone.failed(ignore_unresolved=True) == set()
    beside = typecheck(files, FRAMEWORK_DIR, tsc, context=context)
    assert beside.errors == [] and beside.files == ["pkg/src/app.ts"]
    # Only types.ts was written beside it: the path outside and the checked file are not.
    assert beside.context_files == 1 and alone.context_files == 0


def test_paths_that_leave_the_scratch_folder_are_refused(tsc):
    with pytest.raises(InputError, match=r"\.\./evil\.ts"):
        typecheck({"../evil.ts": "export {};\n"}, FRAMEWORK_DIR, tsc)


@pytest.mark.parametrize(("path", "expected"), [
    ("src/a.ts", "src/a.ts"), ("./src//a.ts", "src/a.ts"), ("../a.ts", None), ("src/../../a.ts", None),
    ("/etc/a.ts", None), ("C:/a.ts", None), ("src\\a.ts", None), ("a\0.ts", None), ("", None), (".", None)])
def test_scratch_path(path, expected):
    assert scratch_path(path) == expected
