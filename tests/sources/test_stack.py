from corpusforge.sources.content import ContentLimits
from corpusforge.sources.stack import stack_license, stack_records

LANGS = ("typescript", "tsx")


def test_stack_license_lists():
    assert stack_license('["MIT"]') == ("MIT", "stack:licenses")
    assert stack_license('["MIT", "Apache-2.0"]') == ("Apache-2.0 AND MIT", "stack:licenses")
    assert stack_license('["MIT", "MIT"]') == ("MIT", "stack:licenses")
    assert stack_license("[]") == (None, "stack:licenses=[]")
    assert stack_license(None) == (None, "stack:licenses(empty)")
    # One unknown entry makes the whole row unknown: a license filter must not guess.
    assert stack_license('["MIT", "some-custom"]')[0] is None
    assert stack_license("Apache 2.0") == ("Apache-2.0", "stack:licenses")


def test_stack_records_documents_and_rejects():
    rows = [
        {"content": "export const a = 1;\n", "repo": "o/r", "path": "src/a.ts", "licenses": '["MIT"]'},
        {"content": "", "repo": "o/r", "path": "src/empty.ts", "licenses": '["MIT"]'},
        {"content": "body { }\n", "repo": "o/r", "path": "x.css", "licenses": '["MIT"]'},
        {"content": None, "repo": None, "path": None, "licenses": None},
    ]
    out = list(stack_records(rows, source="the_stack", limits=ContentLimits(), languages=LANGS))
    assert [(r["path"], r["reason"]) for r in out] == [
        ("src/a.ts", None), ("src/empty.ts", "empty"), ("x.css", "unsupported_type"),
        ("unknown-path", "empty")]
    assert out[0]["origin"] == "o/r" and out[0]["license"] == "MIT" and out[0]["language"] == "typescript"
    assert out[3]["origin"] == "unknown-repo"
