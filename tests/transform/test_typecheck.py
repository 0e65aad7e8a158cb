"""tsc --noEmit over rewritten files against conf/framework/<module>.d.ts (skipped without node).

TypeScript is fetched with `npm pack` into ~/.cache/corpusforge/npm the first time.
"""

from __future__ import annotations

import pytest

from corpusforge.transform import rewrite_source
from corpusforge.errors import InputError
from corpusforge.transform.typecheck import TscError, TypecheckReport, introduced_errors, scratch_path, typecheck

from .conftest import CASES, ROOT

FRAMEWORK_DIR = ROOT / "conf" / "framework"
# Golden cases whose output needs nothing outside the file but the framework: all must pass.
SELF_CONTAINED = [
    "named_hook_imports", "aliased_import", "namespace_import", "react_usestate_generic",
    "type_only_import", "react_types", "tsx_generics", "jsx_fragment_members", "fetch_then_json",
    "template_literal_url", "window_fetch", "catch_console_error", "shorthand_property", "axios_types",
    "merge_into_framework_import", "axios_require_commonjs", "nested_rewrites", "axios_aliased_default",
]


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


def test_the_declarations_accept_what_the_renamed_react_and_testing_library_calls_pass(tsc):
    # The pack renames React's hooks, axios's types and moves Testing Library's imports as
    # they are, so the framework must take the same calls (tsc on real npm packages found each).
    files = {"uses.test.tsx": """import { DFrame } from '@acme/dframe';
import { render, screen } from '@acme/dframe/testing';
import type { ApiResponse } from '@acme/once';

export const statusOf = (response: ApiResponse): number => response.status;  // `AxiosResponse` alone

export function useLater(): number[] {
  const items = DFrame.useRef<number[]>(null);          // a ref filled in later
  if (!items.current) items.current = [1];
  const rerender = DFrame.useReducer(() => ({}), {})[1]; // a reducer without action
  rerender();
  return items.current;
}

const Theme = DFrame.createContext('light');
const Show: DFrame.FC = () => <p>{DFrame.useContext(Theme)}</p>;
test('wrapper and bound queries', async () => {
  const view = render(<Show />, { wrapper: ({ children }) => <Theme.Provider value="dark">{children}</Theme.Provider> });
  view.getByText('dark');
  await view.findByText('dark');
  screen.getAllByRole('heading');
  view.unmount();
});
"""}
    assert typecheck(files, FRAMEWORK_DIR, tsc).errors == []


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


def test_introduced_errors_are_those_beyond_the_originals_by_code_and_message():
    def report(*errors):
        return TypecheckReport(files=["a.ts", "b.ts", "c.ts"], errors=[TscError(*e) for e in errors])

    before = report(("a.ts", 3, "TS2339", "no x"), ("b.ts", 1, "TS2307", "no module 'r'"),
                    ("c.ts", 9, "TS2322", "bad"), ("c.ts", 12, "TS2322", "bad"))
    after = report(("a.ts", 4, "TS2339", "no x"),            # the same error, a line lower
                   ("a.ts", 7, "TS2339", "no x"),            # the same message once more: new
                   ("b.ts", 1, "TS2307", "no module 'q'"),   # unresolved modules are not the rewrite's
                   ("c.ts", 9, "TS2322", "bad"))             # fewer than before: nothing new
    new = introduced_errors(before, after)
    assert list(new) == ["a.ts"]  # which of the two `no x` is the new one cannot be told: one is
    assert [(e.code, e.message) for e in new["a.ts"]] == [("TS2339", "no x")]
    assert set(introduced_errors(before, after, ignore_unresolved=False)) == {"a.ts", "b.ts"}


def test_a_rewrite_that_drops_an_import_still_used_introduces_an_error(pack, tsc):
    # `React.JSX.Element` uses the namespace import through a nested type path; an engine
    # that missed that reference removed the import (issue found by tsc on @tanstack/react-query).
    source = (CASES / "nested_namespace_type_keeps_import" / "input.tsx").read_text(encoding="utf-8")
    rewritten = rewrite_source(source, "src/panel.tsx", pack).text
    broken = rewritten.replace("import * as React from 'react';\n", "")
    assert broken != rewritten
    before = typecheck({"panel.tsx": source}, FRAMEWORK_DIR, tsc)
    assert introduced_errors(before, typecheck({"panel.tsx": rewritten}, FRAMEWORK_DIR, tsc)) == {}
    new = introduced_errors(before, typecheck({"panel.tsx": broken}, FRAMEWORK_DIR, tsc))
    assert [e.code for e in new["panel.tsx"]] == ["TS2503"]  # Cannot find namespace 'React'
