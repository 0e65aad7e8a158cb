from pathlib import Path

import pytest

from corpusforge.sources.language import SUPPORTED_LANGUAGES, detect_language, looks_like_jsx

CODE = Path(__file__).parent / "fixtures" / "code"


@pytest.mark.parametrize("path, language", [
    ("src/index.ts", "typescript"),
    ("types/index.d.ts", "dts"),
    ("types/Index.D.TS", "dts"),
    ("src/App.tsx", "tsx"),
    ("lib/a.js", "javascript"),
    ("lib/a.mjs", "javascript"),
    ("lib/a.cjs", "javascript"),
    ("src/Button.jsx", "jsx"),
    ("package.json", "json"),
    ("README.md", "markdown"),
    ("docs/page.mdx", "markdown"),
    ("notes.txt", "text"),
    ("docs/index.rst", "text"),
    ("src/App.vue", "vue"),
    ("public/index.html", "html"),
    ("styles/site.css", "css"),
    ("styles/site.scss", "css"),
    ("LICENSE", "text"),
    ("LICENCE", "text"),
    ("LICENSE-MIT", "text"),
    ("README", "text"),
    ("CHANGELOG", "text"),
    ("logo.png", None),
    ("config.yml", None),
    ("Makefile", None),
    (".eslintrc", None),
    ("src/index.ts.map", None),
])
def test_language_from_the_path(path, language):
    assert detect_language(path) == language


def test_every_detected_language_is_supported():
    assert {"typescript", "tsx", "dts", "javascript", "jsx", "json", "markdown", "text",
            "vue", "html", "css"} == SUPPORTED_LANGUAGES


@pytest.mark.parametrize("name", ["component.js", "self_closing.mjs", "fragment.cjs"])
def test_jsx_in_javascript_files(name):
    text = (CODE / name).read_text()
    assert detect_language(f"src/{name}", text) == "jsx"


@pytest.mark.parametrize("name", ["comparisons.js", "markup_in_strings.js"])
def test_comparisons_generics_and_markup_strings_are_not_jsx(name):
    text = (CODE / name).read_text()
    assert not looks_like_jsx(text)
    assert detect_language(f"src/{name}", text) == "javascript"


def test_content_does_not_change_typescript():
    text = (CODE / "component.js").read_text()
    assert detect_language("src/component.ts", text) == "typescript"


def test_node_shebang_without_extension():
    assert detect_language("bin/cli", (CODE / "cli_script").read_text()) == "javascript"
    assert detect_language("bin/run", (CODE / "shell_script").read_text()) is None
    assert detect_language("bin/cli") is None  # no content, no evidence
