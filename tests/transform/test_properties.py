"""Properties over generated programs: the rewrite never adds parse errors, is idempotent,
and never touches a file that holds nothing the rules target."""

from __future__ import annotations

import keyword

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpusforge.transform import rewrite_source
from corpusforge.transform.validation import is_idempotent, reparse

IMPORTS = [
    "import React from 'react';",
    "import * as R from 'react';",
    "import { useState, useEffect as useE } from 'react';",
    "import React, { useRef, type FC } from 'react';",
    "import axios from 'axios';",
    "import type { AxiosResponse } from 'axios';",
    "import './styles.css';",
    "import { helper } from './helper';",
    "const axios2 = require('axios');",
]

STATEMENTS = [
    "const [{n}, set{N}] = useState<number>(0);",
    "const [{n}, set{N}] = React.useState<string | null>(null);",
    "const {n} = R.useRef<HTMLDivElement | null>(null);",
    "useE(() => {{ void {n}; }}, [{n}]);",
    "const {n} = await axios.get<{N}[]>(`/api/{n}`);",
    "const {n} = await axios.post('/api/{n}', {{ {n}: 1 }});",
    "const {n} = await axios2.delete('/api/' + {n});",
    "const {n} = await (await fetch('/api/{n}')).json();",
    "const {n} = fetch(url).then(({n}) => {n}.json());",
    "try {{ await save({n}); }} catch ({n}Error) {{ console.error({n}Error); }}",
    "function {n}(fetch: (u: string) => unknown) {{ return fetch('/x'); }}",
    "function {n}(useState: () => number) {{ return useState(); }}",
    "// fetch('{n}') and useState( in a comment",
    "const {n} = 'await (await fetch(url)).json()';",
    "let {n}: FC<{{ {n}: string }}> | undefined;",
    "let {n}: AxiosResponse<{N}> | undefined;",
    "const {n} = {{ useState, helper }};",
    "const {n} = (x: any) => x?.get?.('{n}');",
    "export const {n} = <T,>(value: T) => value;",
]

names = st.from_regex(r"[a-z][a-zA-Z]{1,7}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s) and s not in {"let", "var", "new", "try", "case", "void", "this",
                                                       "enum", "type", "await", "yield", "async", "fetch",
                                                       "axios", "delete", "typeof", "catch", "default"})


@st.composite
def programs(draw) -> str:
    imports = draw(st.lists(st.sampled_from(IMPORTS), max_size=5, unique=True))
    body = []
    for template in draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=8)):
        name = draw(names)
        body.append("  " + template.format(n=name, N=name.capitalize()))
    return "\n".join(imports) + "\n\nexport async function main(url: string) {\n" + "\n".join(body) + "\n}\n"


SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(programs(), st.sampled_from(["src/gen.ts", "src/gen.tsx"]))
def test_rewrite_adds_no_parse_errors_and_is_idempotent(pack, code, path):
    result = rewrite_source(code, path, pack)
    before = reparse(code, path).total
    assert reparse(result.text, path).total <= before
    if before == 0:
        assert result.reject_reason != "reparse_failed"
    assert is_idempotent(result, pack)


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300))
def test_arbitrary_text_never_crashes_and_unparsable_text_is_left_alone(pack, text):
    result = rewrite_source(text, "src/any.ts", pack)
    if result.parse_errors_before:
        assert result.text == text and result.reject_reason == "parse_error"
    else:
        assert reparse(result.text, "src/any.ts").total == 0


@SETTINGS
@given(st.lists(st.sampled_from(STATEMENTS[10:15]), min_size=1, max_size=6), names)
def test_files_without_targets_are_byte_identical(pack, templates, name):
    code = "\n".join(t.format(n=name, N=name.capitalize()) for t in templates) + "\n"
    result = rewrite_source(code, "src/quiet.ts", pack)
    assert result.text == code and result.rules_fired == {}
