from pathlib import Path

import pytest

from corpusforge.sources.licenses import (detect_license_text, is_license_file,
                                          license_for_origin, normalize_license)

LICENSES = Path(__file__).parent / "fixtures" / "licenses"


def license_text(name: str) -> str:
    return (LICENSES / name).read_text()


@pytest.mark.parametrize("value, spdx", [
    ("MIT", "MIT"),
    ("mit", "MIT"),
    ("MIT License", "MIT"),
    ("The MIT License", "MIT"),
    ("ISC License", "ISC"),
    ("Apache-2.0", "Apache-2.0"),
    ("Apache 2.0", "Apache-2.0"),
    ("Apache License 2.0", "Apache-2.0"),
    ("Apache License, Version 2.0", "Apache-2.0"),
    ("apache-2", "Apache-2.0"),
    ("BSD", "BSD-2-Clause"),
    ("BSD-3-Clause", "BSD-3-Clause"),
    ("GPLv3", "GPL-3.0-only"),
    ("GPL-3.0+", "GPL-3.0-or-later"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("(MIT OR Apache-2.0)", "MIT OR Apache-2.0"),
    ("(MIT OR Apache 2.0)", "MIT OR Apache-2.0"),
    ("GPL-2.0 WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ({"type": "MIT", "url": "https://example.invalid/mit"}, "MIT"),
    ([{"type": "MIT"}, {"type": "Apache-2.0"}], "MIT OR Apache-2.0"),
    ([{"type": "ISC"}, {"type": "ISC"}], "ISC"),
])
def test_normalize_license(value, spdx):
    assert normalize_license(value) == spdx


@pytest.mark.parametrize("value", [
    "UNLICENSED", "SEE LICENSE IN LICENSE.md", "see license in ./EULA", "Proprietary",
    "MyCompany-Custom-1.0", "MIT AND NotALicense", "(MIT", "MIT OR", "", "   ", 42, None,
    {"url": "https://example.invalid"}, [{"type": "MIT"}, {"type": "nope"}], [], "x" * 600,
])
def test_normalize_license_refuses_unknown_or_unusable(value):
    assert normalize_license(value) is None


@pytest.mark.parametrize("file_name, spdx", [
    ("mit.txt", "MIT"),
    ("mit-0.txt", "MIT-0"),
    ("apache-2.0.txt", "Apache-2.0"),
    ("apache-2.0-notice.md", "Apache-2.0"),
    ("bsd-2-clause.txt", "BSD-2-Clause"),
    ("bsd-3-clause.txt", "BSD-3-Clause"),
    ("isc.txt", "ISC"),
    ("0bsd.txt", "0BSD"),
    ("gpl-3.0-or-later-notice.txt", "GPL-3.0-or-later"),
    # The full GPL text's "How to Apply" appendix has the or-later wording: still -only.
    ("gpl-3.0-full.txt", "GPL-3.0-only"),
    ("gpl-2.0-only-notice.txt", "GPL-2.0-only"),
    ("lgpl-2.1.txt", "LGPL-2.1-only"),
    ("agpl-3.0.txt", "AGPL-3.0-only"),
    ("mpl-2.0.txt", "MPL-2.0"),
    ("unlicense.txt", "Unlicense"),
    ("cc0-1.0.txt", "CC0-1.0"),
    ("spdx-tag.txt", "MIT OR Apache-2.0"),
    ("proprietary.txt", None),
])
def test_detect_license_text(file_name, spdx):
    assert detect_license_text(license_text(file_name)) == spdx


def test_detect_license_text_ignores_layout_and_case():
    reflowed = " ".join(license_text("bsd-3-clause.txt").upper().split())
    assert detect_license_text(reflowed) == "BSD-3-Clause"
    assert detect_license_text("MIT\n") == "MIT"
    assert detect_license_text("") is None
    assert detect_license_text("All rights reserved.") is None


def test_license_file_names():
    assert all(map(is_license_file, ["LICENSE", "LICENSE.md", "license.txt", "LICENCE",
                                     "COPYING", "LICENSE-MIT", "UNLICENSE"]))
    assert not any(map(is_license_file, ["README.md", "license.ts", "LICENSES_THIRD_PARTY",
                                         "src"]))


def test_package_json_wins_over_license_files():
    files = {"LICENSE": license_text("apache-2.0.txt")}
    assert license_for_origin({"license": "MIT"}, files) == ("MIT", "package.json:license")


def test_legacy_licenses_array():
    package = {"licenses": [{"type": "MIT"}, {"type": "BSD-3-Clause"}]}
    assert license_for_origin(package, {}) == ("MIT OR BSD-3-Clause", "package.json:licenses")


def test_license_file_used_when_package_json_does_not_normalise():
    files = {"LICENSE.md": license_text("isc.txt")}
    package = {"license": "SEE LICENSE IN LICENSE.md"}
    assert license_for_origin(package, files) == ("ISC", "LICENSE.md")


def test_license_files_in_priority_order_and_unknown_ones_skipped():
    files = {
        "COPYING": license_text("gpl-3.0-or-later-notice.txt"),
        "LICENSE.txt": license_text("bsd-2-clause.txt"),
        "LICENSE": license_text("proprietary.txt"),
        "LICENCE": license_text("mit.txt"),
    }
    assert license_for_origin(None, files) == ("BSD-2-Clause", "LICENSE.txt")
    del files["LICENSE.txt"]
    assert license_for_origin(None, files) == ("MIT", "LICENCE")
    del files["LICENCE"]
    assert license_for_origin(None, files) == ("GPL-3.0-or-later", "COPYING")


def test_no_license_anywhere():
    assert license_for_origin({"name": "x"}, {"LICENSE": license_text("proprietary.txt")}) == (
        None, None)
    assert license_for_origin(None, {}) == (None, None)
