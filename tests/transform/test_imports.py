"""Import management: one import per framework name, merged where possible; only imports
the rewrite made unused are dropped; formatting of the rest is kept."""

from __future__ import annotations

from corpusforge.transform import rewrite_source, rulepack_from_dict

PACK = rulepack_from_dict({
    "name": "t",
    "framework": {"modules": ["@fw/ui"],
                  "imports": {"UI": {"from": "@fw/ui"}, "Props": {"from": "@fw/ui", "type": True}}},
    "modules": {"lib": {"namespace_default": True}},
    "rules": [
        {"id": "hooks", "kind": "rename", "module": "lib", "names": ["useA", "useB"], "to": "UI.{name}",
         "imports": ["UI"]},
        {"id": "types", "kind": "type", "module": "lib", "names": {"LibProps": "Props"}, "to": "{name}",
         "imports": ["Props"]},
    ],
})


def _rewrite(code: str, path: str = "a.ts") -> str:
    return rewrite_source(code, path, PACK).text


def test_a_new_import_goes_after_the_last_import_once():
    code = "import a from 'a';\nimport { useA } from 'lib';\nimport b from 'b';\n\nuseA(); useA();\n"
    assert _rewrite(code) == "import a from 'a';\nimport b from 'b';\nimport { UI } from '@fw/ui';\n\nUI.useA(); UI.useA();\n"


def test_existing_framework_import_is_reused_or_extended():
    code = "import { UI } from '@fw/ui';\nimport { useA } from 'lib';\nuseA();\n"
    assert _rewrite(code) == "import { UI } from '@fw/ui';\nUI.useA();\n"
    code = "import { other } from '@fw/ui';\nimport { useA } from 'lib';\nuseA(other);\n"
    assert _rewrite(code) == "import { other, UI } from '@fw/ui';\nUI.useA(other);\n"


def test_type_names_merge_as_inline_type_or_into_an_import_type():
    code = "import { other } from '@fw/ui';\nimport type { LibProps } from 'lib';\nlet p: LibProps = other;\n"
    assert _rewrite(code) == "import { other, type Props } from '@fw/ui';\nlet p: Props = other;\n"
    code = "import type { Theme } from '@fw/ui';\nimport type { LibProps } from 'lib';\nlet p: LibProps;\n"
    assert _rewrite(code) == "import type { Theme, Props } from '@fw/ui';\nlet p: Props;\n"
    code = "import type { LibProps } from 'lib';\nlet p: LibProps;\n"
    assert _rewrite(code) == "import type { Props } from '@fw/ui';\nlet p: Props;\n"


def test_multiline_imports_keep_their_layout():
    code = "import {\n  x,\n  y,\n} from '@fw/ui';\nimport { useA } from 'lib';\nuseA(x, y);\n"
    assert _rewrite(code) == "import {\n  x,\n  y,\n  UI,\n} from '@fw/ui';\nUI.useA(x, y);\n"
    code = "import {\n  useA,\n  useC,\n  useB\n} from 'lib';\nuseA(); useB(); useC();\n"
    assert _rewrite(code) == "import {\n  useC\n} from 'lib';\nimport { UI } from '@fw/ui';\nUI.useA(); UI.useB(); useC();\n"


def test_default_and_named_parts_are_dropped_separately():
    code = "import Lib, { useA } from 'lib';\nLib.useB(); useA(); Lib.other();\n"
    assert _rewrite(code) == "import Lib from 'lib';\nimport { UI } from '@fw/ui';\nUI.useB(); UI.useA(); Lib.other();\n"
    code = "import Lib, { useA, keep } from 'lib';\nLib.useB(); useA(keep);\n"
    assert _rewrite(code) == "import { keep } from 'lib';\nimport { UI } from '@fw/ui';\nUI.useB(); UI.useA(keep);\n"


def test_unused_before_side_effect_and_still_used_imports_stay():
    code = ("import 'polyfill';\nimport { useB } from 'lib';\nimport { useA, helper } from 'lib';\n"
            "useA(helper);\n")
    assert _rewrite(code) == ("import 'polyfill';\nimport { useB } from 'lib';\nimport { helper } from 'lib';\n"
                              "import { UI } from '@fw/ui';\nUI.useA(helper);\n")


def test_a_file_without_imports_gets_one_at_the_top_or_after_its_header():
    assert _rewrite("const x = { useA: 1 };\n") == "const x = { useA: 1 };\n"
    code = "#!/usr/bin/env node\n/* header */\n\nconst Lib = require('lib');\nLib.useA();\n"
    assert _rewrite(code, "a.js") == "#!/usr/bin/env node\n/* header */\n\nconst { UI } = require('@fw/ui');\nUI.useA();\n"


def test_untouched_files_keep_even_their_unused_imports():
    code = "import { useA } from 'lib';\nimport unused from 'x';\nconst y = 1;\n"
    assert _rewrite(code) == code


def test_crlf_files_get_crlf_imports():
    code = "import { x } from 'a';\r\nimport { useA } from 'lib';\r\nuseA(x);\r\n"
    assert _rewrite(code) == "import { x } from 'a';\r\nimport { UI } from '@fw/ui';\r\nUI.useA(x);\r\n"
    code = "import {\r\n  useA,\r\n  useC,\r\n} from 'lib';\r\nuseA(useC);\r\n"
    assert _rewrite(code) == "import {\r\n  useC,\r\n} from 'lib';\r\nimport { UI } from '@fw/ui';\r\nUI.useA(useC);\r\n"
