"""Domain boundaries from the rule pack: imports, paths, languages, origin manifests."""

from __future__ import annotations

import json

import pytest

from corpusforge.errors import ConfigError
from corpusforge.filters.boundaries import (Boundary, boundary_decision, crossed_boundaries,
                                            load_boundaries, manifest_boundary)
from tests.conftest import ROOT, SAMPLES

PACK = ROOT / "conf" / "rules" / "dframe_once.yaml"
FIXTURES = ROOT / "tests" / "filters" / "fixtures" / "boundaries"


@pytest.fixture(scope="module")
def rules():
    return load_boundaries(str(PACK))


def test_pack_section_loads(rules):
    names = {r.name: r.action for r in rules}
    assert {"vue": "reject", "angular": "reject", "jquery": "reject",
            "non_typescript": "tag"}.items() <= names.items()


def _reason(content, path, language, rules, origin=None):
    rejection, tags = boundary_decision(content, path, language, rules, origin)
    return (rejection[0] if rejection else None), tags


@pytest.mark.parametrize("source, reason", [
    ('import $ from "jquery";', "boundary:jquery"),
    ("import 'jquery/dist/jquery.slim';", "boundary:jquery"),
    ("const $ = require('jquery');", "boundary:jquery"),
    ("const v = await import('vue');", "boundary:vue"),
    ("export { ref } from 'vue';", "boundary:vue"),
    ("import { Component } from '@angular/core';", "boundary:angular"),
    ("import { HttpClient } from '@angular/common/http';", "boundary:angular"),
    ("import { map } from 'rxjs/operators';", "boundary:angular"),
    ("import { createRouter } from 'vue-router';", "boundary:vue"),
    # Negatives: similar names, and mentions that are not imports.
    ("import { helper } from 'vue-router-helper';", None),
    ("import { x } from 'jquery-free-dom';", None),
    ("import { x } from './jquery';", None),
    ('// import x from "jquery"\nexport const a = 1;', None),
    ('/* require("vue") */ export const a = 1;', None),
    ('const s = "import x from \'jquery\'";', None),
    ("const t = `import x from 'jquery'`;", None),
    ("import { useState } from 'react';", None),
])
def test_imports(rules, source, reason):
    assert _reason(source, "src/a.ts", "typescript", rules) == (reason, [])


def test_fixture_files(rules):
    imports = (FIXTURES / "imports.ts").read_text()
    found = [rule.name for rule, _ in crossed_boundaries(imports, "src/imports.ts", "typescript", rules)]
    assert found == ["vue", "angular", "jquery", "svelte"]
    rejection, _ = boundary_decision(imports, "src/imports.ts", "typescript", rules)
    assert rejection == ("boundary:vue", "imports 'vue' (boundary vue)")
    assert _reason((FIXTURES / "mentions_only.ts").read_text(), "src/m.ts", "typescript", rules) == (None, [])


def test_paths_and_languages(rules):
    assert _reason("<template><p/></template>", "src/App.vue", "vue", rules) == ("boundary:vue", [])
    assert _reason("<script>let x</script>", "src/Thing.svelte", "html", rules) == (
        "boundary:svelte", ["non_typescript"])
    # A tag keeps the document and names the boundary.
    assert _reason("module.exports = 1;\n", "index.js", "javascript", rules) == (None, ["non_typescript"])
    assert _reason("export const a = 1;\n", "index.ts", "typescript", rules) == (None, [])
    # Imports are only looked for in code: a Markdown example is not an import.
    assert _reason("```js\nimport $ from 'jquery'\n```\n", "README.md", "markdown", rules) == (None, [])


def test_samples_out_of_domain(rules):
    vue_main = (SAMPLES / "github" / "vue-app" / "src" / "main.ts").read_text()
    assert _reason(vue_main, "src/main.ts", "typescript", rules)[0] == "boundary:vue"
    for path in ("src/app/app.component.ts", "src/app/app.module.ts", "src/app/services/task.service.ts",
                 "src/main.ts"):
        text = (SAMPLES / "github" / "angular-app" / path).read_text()
        assert _reason(text, path, "typescript", rules)[0] == "boundary:angular", path
    # The jQuery plugin reaches jQuery through a global and imports nothing: only its
    # package.json (peerDependencies) marks the origin.
    plugin = (SAMPLES / "github" / "jquery-plugin" / "src" / "plugin.js").read_text()
    assert _reason(plugin, "src/plugin.js", "javascript", rules) == (None, ["non_typescript"])
    manifest = manifest_boundary((SAMPLES / "github" / "jquery-plugin" / "package.json").read_text(), rules)
    assert json.loads(manifest)[0] == "jquery"
    assert _reason(plugin, "src/plugin.js", "javascript", rules, manifest) == (
        "boundary:jquery", ["non_typescript"])
    for repo, name in (("vue-app", "vue"), ("angular-app", "angular")):
        declared = manifest_boundary((SAMPLES / "github" / repo / "package.json").read_text(), rules)
        assert json.loads(declared)[0] == name
    # In-domain repos declare nothing out of domain.
    for repo in ("react-todo", "react-dashboard", "js-legacy", "isc-utils"):
        assert manifest_boundary((SAMPLES / "github" / repo / "package.json").read_text(), rules) is None


def test_manifest_rules(rules):
    assert manifest_boundary('{"devDependencies": {"jquery": "3"}}', rules) is None
    assert manifest_boundary('{"dependencies": {"vue-router-helper": "1"}}', rules) is None
    assert json.loads(manifest_boundary('{"dependencies": {"nuxt": "3"}}', rules)) == [
        "vue", "origin's package.json dependencies has 'nuxt' (boundary vue)"]
    assert manifest_boundary("not json", rules) is None
    assert manifest_boundary("[1, 2]", rules) is None


def test_tag_rules_never_reject():
    tag_only = (Boundary("legacy", "tag", imports=("jquery",), dependencies=("jquery",)),)
    assert _reason("import 'jquery';", "a.ts", "typescript", tag_only) == (None, ["legacy"])
    assert manifest_boundary('{"dependencies": {"jquery": "3"}}', tag_only) is None


@pytest.mark.parametrize("text, problem", [
    ("boundaries: {vue: 1}", "must be a list"),
    ("boundaries:\n  - name: x\n    action: drop\n    imports: [a]", "'action' must be one of"),
    ("boundaries:\n  - name: x\n    action: reject\n    import: [a]", "unknown key(s) import"),
    ("boundaries:\n  - name: x\n    action: reject", "needs at least one of"),
    ("boundaries:\n  - name: x\n    action: reject\n    imports: vue", "'imports' must be a list"),
    ("boundaries:\n  - {name: x, action: tag, languages: [css]}\n  - {name: x, action: tag, languages: [js]}",
     "unique"),
])
def test_bad_rule_packs(tmp_path, text, problem):
    pack = tmp_path / "pack.yaml"
    pack.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_boundaries(str(pack))
    assert problem in str(err.value) and str(pack) in err.value.one_line()


def test_missing_pack_and_no_section(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_boundaries(str(tmp_path / "nope.yaml"))
    assert "filter.rule_pack" in err.value.one_line()
    pack = tmp_path / "pack.yaml"
    pack.write_text("name: other\nrewrites: []\n")
    assert load_boundaries(str(pack)) == ()
