"""Framework analysis: exports inventory, app usage, rule targets checked against the
declarations and the code; the `analyze` job (report files, exit status)."""

from __future__ import annotations

import json

import pytest
import yaml

from corpusforge.cli import main
from corpusforge.errors import ConfigError
from corpusforge.transform import analysis
from corpusforge.transform.rulepack import load_rulepack, rulepack_from_dict
from tests.conftest import ROOT, make_config
from tests.transform.conftest import RULEPACK

FRAMEWORK_DIR = ROOT / "samples" / "framework"
DECLARATIONS = ROOT / "conf" / "framework"


def test_file_exports_covers_every_export_form():
    text = """
export function f(): void {}
export const a = 1, b = { x: 1, y() {}, get z() { return 1; } } as const;
export class K { m(): void {} static s = 1; }
export interface I { p: string }
export type T = string;
export enum E { One, Two = 'two' }
const hidden = { q: 1 };
export { hidden as shown };
export { r as rr } from './r';
export * from './star';
export * as NS from './ns';
export declare namespace b { type Inner = string; }
export default b;
"""
    out = analysis.file_exports(text, "index.ts")
    assert sorted(out.names) == ["E", "I", "K", "NS", "T", "a", "b", "default", "f", "rr", "shown"]
    assert out.names["b"] == {"x", "y", "z", "Inner"}
    assert out.names["default"] == {"x", "y", "z", "Inner"}
    assert out.names["K"] == {"m", "s"}
    assert out.names["E"] == {"One", "Two"}
    assert out.names["shown"] == {"q"}
    assert out.star_from == ["./star"] and out.default_name == "b"


def test_module_api_follows_star_reexports():
    files = {"src/index.ts": "export * from './a';\nexport const top = 1;\n",
             "src/a.ts": "export function fromA() {}\nexport default 1;\n"}
    assert sorted(analysis.module_api(files, "src/index.ts")) == ["fromA", "top"]


@pytest.fixture(scope="module")
def packages():
    return analysis.packages_from_folder(FRAMEWORK_DIR)


def test_shipped_pack_targets_only_existing_apis(pack, packages):
    report = analysis.analyse(packages, pack, DECLARATIONS)
    assert report["missing"] == []
    targets = {(r["rule"], r["target"]) for r in report["rules"]}
    assert ("react-api", "@acme/dframe:DFrame.useState") in targets
    assert ("axios-get", "@acme/once:ONCE.apiClient.get") in targets
    assert ("testing-library", "@acme/dframe/testing:render") in targets
    assert ("react-types", "@acme/dframe:DFrame.FC") in targets
    # The inventory and the usage come from the code itself.
    api = report["framework_packages"]["@acme/dframe"]["api"]
    assert "useState" in api["@acme/dframe"]["DFrame"] and "render" in api["@acme/dframe/testing"]
    assert report["usage_total"]["@acme/dframe:DFrame.useState"] >= 1
    assert all(info["calls"] == sum(info["apis"].values()) for info in report["apps"].values())


def test_api_usage_resolves_aliases_defaults_and_shadowing(pack):
    app = {"src/a.tsx": """import { DFrame as D } from '@acme/dframe';
import Once from '@acme/once';
import { render } from '@acme/dframe/testing';
export function A() {
  const [n] = D.useState(0);
  Once.reportError(new Error('x'), 'a');
  return <D.ErrorBoundary>{n}</D.ErrorBoundary>;
}
function shadow(D: any) { return D.useState(1); }
render(null);
"""}
    counts = analysis.api_usage(app, pack, {"@acme/once": "ONCE"})
    assert dict(counts) == {"@acme/dframe:DFrame.useState": 1, "@acme/once:ONCE.reportError": 1,
                            "@acme/dframe:DFrame.ErrorBoundary": 1, "@acme/dframe/testing:render": 1}


def _pack_with(extra_rule: dict):
    data = yaml.safe_load(RULEPACK.read_text())
    data["rules"].append(extra_rule)
    return data


BAD_RULE = {"id": "use-nothing", "kind": "rename", "module": "react", "names": {"useNothing": "useNothing"},
            "to": "DFrame.{name}", "imports": ["DFrame"]}


def test_rule_targeting_a_missing_api_is_reported(packages):
    pack = rulepack_from_dict(_pack_with(BAD_RULE), "bad.yaml")
    report = analysis.analyse(packages, pack, DECLARATIONS)
    assert report["missing"] == [{"rule": "use-nothing", "target": "@acme/dframe:DFrame.useNothing",
                                  "missing_from": ["declarations", "code"]}]


def test_api_present_in_declarations_only_is_missing_from_code(pack):
    code = {"@acme/dframe": {"DFrame": {"useState"}}}
    declared = {"@acme/dframe": {"DFrame": {"useState", "useExtra"}}}
    target = analysis.Target("@acme/dframe", "DFrame.useExtra")
    assert analysis.has_api(declared, target) and not analysis.has_api(code, target)


def test_analyze_job_passes_then_fails_naming_the_rule(tmp_path, spark, capsys):
    base = ["--warehouse", str(tmp_path / "wh"), "--run-id", "r1", "--master", "local[2]",
            "--set", "transform.analysis.source=folder",
            "--set", f"transform.analysis.framework_dir={FRAMEWORK_DIR}",
            "--set", f"transform.analysis.declarations={DECLARATIONS}"]
    assert main(["analyze", *base]) == 0
    report = json.loads((tmp_path / "wh/reports/r1/framework_analysis.json").read_text())
    assert report["missing"] == [] and report["source"] == str(FRAMEWORK_DIR)
    assert "## Rule targets" in (tmp_path / "wh/reports/r1/framework_analysis.md").read_text()

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_pack_with(BAD_RULE)))
    capsys.readouterr()
    assert main(["analyze", *base, "--set", f"transform.rule_pack={bad}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "rule `use-nothing` targets @acme/dframe:DFrame.useNothing" in err[0]
    # With on_missing=warn the job reports and succeeds.
    assert main(["analyze", *base, "--set", f"transform.rule_pack={bad}",
                 "--set", "transform.analysis.on_missing=warn"]) == 0
    report = json.loads((tmp_path / "wh/reports/r1/framework_analysis.json").read_text())
    assert [m["rule"] for m in report["missing"]] == ["use-nothing"]


def test_packages_from_table_groups_framework_documents(tmp_path, spark):
    from corpusforge import tables

    config = make_config(tmp_path)
    rows = [("d1", "framework", "@acme/once@2.1.0", "src/index.ts", "export const ONCE = { a: 1 };\n"),
            ("d2", "framework", "@acme/once@2.1.0", "package.json", '{"name": "@acme/once"}'),
            ("d3", "github", "x@1", "src/index.ts", "export const other = 1;\n")]
    df = spark.createDataFrame(rows, "doc_id string, source string, origin string, path string, content string")
    tables.replace_rows(spark, config.warehouse, tables.BRONZE_DOCUMENTS, df.selectExpr(
        "*", "'typescript' as language", "'MIT' as license", "null as license_evidence",
        "sha2(content, 256) as content_sha256", "cast(length(content) as long) as size_bytes",
        "'r0' as run_id", "0 as bucket"))
    origin, packages = analysis.load_packages(spark, config)
    assert origin == "bronze/documents"
    assert [(p.name, sorted(p.files), p.manifest) for p in packages] == [
        ("@acme/once", ["src/index.ts"], {"name": "@acme/once"})]


def test_unknown_on_missing_value_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        make_config(tmp_path, **{"transform.analysis.on_missing": "ignore"})


def test_shipped_pack_loads(pack):
    assert load_rulepack(RULEPACK).name == pack.name
