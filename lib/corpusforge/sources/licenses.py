"""License of a package or repository as an SPDX expression, with its evidence.

Two inputs: the ``license`` field of package.json (free-form in the wild, normalised
through aliases and validated with ``license_expression``) and the text of LICENSE files
(recognised by the key phrases of each license).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from license_expression import Licensing, get_spdx_licensing

# Free-form spellings seen in package.json files, keyed by their squashed form
# (see _alias_key), mapped to SPDX ids.
_ALIASES: dict[str, str] = {
    "mit": "MIT", "mitlicense": "MIT", "mitlicence": "MIT", "expat": "MIT",
    "isc": "ISC", "isclicense": "ISC", "isclicence": "ISC",
    "apache2": "Apache-2.0", "apache20": "Apache-2.0", "apachev2": "Apache-2.0",
    "apachelicense2": "Apache-2.0", "apachelicense20": "Apache-2.0",
    "apachelicenseversion2": "Apache-2.0", "apachelicenseversion20": "Apache-2.0",
    "apachelicensev2": "Apache-2.0", "apachelicencev2": "Apache-2.0",
    "apachelicence20": "Apache-2.0", "apachesoftwarelicense20": "Apache-2.0",
    "asl20": "Apache-2.0", "al20": "Apache-2.0",
    # Bare "BSD" follows npm's own normaliser (spdx-correct): BSD-2-Clause.
    "bsd": "BSD-2-Clause", "newbsd": "BSD-3-Clause", "bsd3": "BSD-3-Clause",
    "bsd3clause": "BSD-3-Clause", "modifiedbsd": "BSD-3-Clause", "revisedbsd": "BSD-3-Clause",
    "bsd2": "BSD-2-Clause", "bsd2clause": "BSD-2-Clause", "simplifiedbsd": "BSD-2-Clause",
    "freebsd": "BSD-2-Clause",
    "gpl2": "GPL-2.0-only", "gplv2": "GPL-2.0-only",
    "gpl2plus": "GPL-2.0-or-later", "gplv2plus": "GPL-2.0-or-later",
    "gpl3": "GPL-3.0-only", "gplv3": "GPL-3.0-only",
    "gpl3plus": "GPL-3.0-or-later", "gplv3plus": "GPL-3.0-or-later",
    "lgplv21": "LGPL-2.1-only", "lgpl21": "LGPL-2.1-only",
    "lgplv3": "LGPL-3.0-only", "lgpl3": "LGPL-3.0-only",
    "agplv3": "AGPL-3.0-only", "agpl3": "AGPL-3.0-only",
    "mpl2": "MPL-2.0", "mpl20": "MPL-2.0", "mozillapubliclicense20": "MPL-2.0",
    "unlicense": "Unlicense",
    "cc0": "CC0-1.0", "cc010": "CC0-1.0", "wtfpl": "WTFPL", "zlib": "Zlib",
    "python20": "Python-2.0",
    "artistic20": "Artistic-2.0", "blueoak100": "BlueOak-1.0.0",
}
# Values that say "no license we can use": never guessed into one.
_NO_LICENSE = re.compile(r"^\s*(unlicensed|none|proprietary|see licen[cs]e in\b.*|"
                         r"commercial|private|custom|n/?a)\s*$", re.IGNORECASE | re.DOTALL)
_PLAIN_NAME = re.compile(r"^[\w\s.,+/-]+$")
_OPERATOR_SPLIT = re.compile(r"(\(|\)|\s+(?:OR|AND|WITH)\s+)", re.IGNORECASE)
_MAX_VALUE_CHARS = 500


@lru_cache(maxsize=1)
def _licensing() -> Licensing:
    return get_spdx_licensing()


def _alias_key(value: str) -> str:
    squashed = re.sub(r"[^a-z0-9]", "", value.lower().replace("+", "plus"))
    return squashed[3:] if squashed.startswith("the") else squashed


def _alias_operand(operand: str) -> str:
    alias = _ALIASES.get(_alias_key(operand))
    return alias if alias is not None else operand.strip()


def _normalize_string(value: str) -> str | None:
    value = value.strip()
    if not value or len(value) > _MAX_VALUE_CHARS or _NO_LICENSE.match(value):
        return None
    if _PLAIN_NAME.match(value):
        whole = _ALIASES.get(_alias_key(value))
        if whole is not None:
            return whole
    parts = _OPERATOR_SPLIT.split(value)
    rebuilt = "".join(p if _OPERATOR_SPLIT.fullmatch(p) or not p.strip() else _alias_operand(p)
                      for p in parts)
    try:
        info = _licensing().validate(rebuilt)
    except Exception:  # license_expression raises several exception types on bad input
        return None
    if info.errors or info.invalid_symbols or not info.normalized_expression:
        return None
    return str(info.normalized_expression)


def normalize_license(value: Any) -> str | None:
    """SPDX expression for a package.json ``license``/``licenses`` value, or None.

    Accepts a string (SPDX or a common alias such as "Apache 2.0", "GPLv3", "MIT License"),
    a legacy ``{"type": ...}`` dict, or a list of those (joined with OR). UNLICENSED,
    "SEE LICENSE IN ...", unknown keys and unparseable values give None.
    """
    if isinstance(value, str):
        return _normalize_string(value)
    if isinstance(value, dict):
        return normalize_license(value.get("type"))
    if isinstance(value, (list, tuple)) and value:
        parts = [normalize_license(item) for item in value]
        if any(part is None for part in parts):
            return None
        unique = list(dict.fromkeys(parts))
        if len(unique) == 1:
            return unique[0]
        return _normalize_string(" OR ".join(f"({part})" for part in unique))
    return None


def _words(text: str) -> str:
    """Lower-case words separated by single spaces: punctuation and layout removed."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*([^\n*]+?)\s*(?:\*/|-->)?\s*$",
                       re.IGNORECASE | re.MULTILINE)
_GNU_TITLES = (
    ("gnu affero general public license", "AGPL"),
    ("gnu lesser general public license", "LGPL"),
    ("gnu library general public license", "LGPL-2.0"),
    ("gnu general public license", "GPL"),
)
_GNU_VERSIONS = {
    "AGPL": {"3": "AGPL-3.0"},
    "LGPL": {"2 1": "LGPL-2.1", "3": "LGPL-3.0"},
    "LGPL-2.0": {"2": "LGPL-2.0", "2 0": "LGPL-2.0"},
    "GPL": {"1": "GPL-1.0", "2": "GPL-2.0", "3": "GPL-3.0"},
}
_LATER = "or at your option any later version"
_BSD_BODY = ("redistribution and use in source and binary forms with or without modification "
             "are permitted provided that")
_ISC_GRANT = re.compile(r"permission to use copy modify (?:and or |and )?distribute this "
                        r"software for any purpose with or without fee is hereby granted")
_ISC_NOTICE = ("provided that the above copyright notice and this permission notice appear "
               "in all copies")
_MIT_GRANT = ("permission is hereby granted free of charge to any person obtaining a copy of "
              "this software")
_MIT_NOTICE = "the above copyright notice and this permission notice shall be included"


def _gnu_license(words: str) -> str | None:
    found = [(words.find(title), family) for title, family in _GNU_TITLES if title in words]
    if not found:
        return None
    position, family = min(found)
    # The version follows the title within a sentence ("..., version 3 of the License").
    window = words[position:position + 300]
    match = re.search(r"\bversion (\d)(?: (\d))?\b", window)
    if match is None:
        return None
    number = match.group(1) if match.group(2) is None else f"{match.group(1)} {match.group(2)}"
    base = _GNU_VERSIONS[family].get(number) or _GNU_VERSIONS[family].get(match.group(1))
    if base is None:
        return None
    # Full GPL texts carry a "How to Apply" appendix with the or-later wording: only the
    # terms proper (or a bare notice) count.
    terms = words.split("end of terms and conditions", 1)[0]
    return f"{base}-or-later" if _LATER in terms else f"{base}-only"


def _permissive_license(words: str) -> str | None:
    if "this is free and unencumbered software released into the public domain" in words:
        return "Unlicense"
    if "cc0 1 0 universal" in words or "creative commons zero" in words:
        return "CC0-1.0"
    if "mozilla public license" in words and re.search(r"version 2 0|v 2 0|\b2 0\b", words):
        return "MPL-2.0"
    if "apache license" in words and re.search(r"version 2 0|licenses license 2 0", words):
        return "Apache-2.0"
    if _BSD_BODY in words:
        if "all advertising materials mentioning features" in words:
            return "BSD-4-Clause"
        if "neither the name" in words or "may not be used to endorse or promote" in words:
            return "BSD-3-Clause"
        return "BSD-2-Clause"
    if _ISC_GRANT.search(words):
        return "ISC" if _ISC_NOTICE in words else "0BSD"
    if _MIT_GRANT in words:
        return "MIT" if _MIT_NOTICE in words else "MIT-0"
    return None


def detect_license_text(text: str) -> str | None:
    """SPDX id of the license written out in a LICENSE/COPYING file, or None if unknown."""
    tag = _SPDX_TAG.search(text)
    if tag is not None:
        tagged = normalize_license(tag.group(1))
        if tagged is not None:
            return tagged
    stripped = text.strip()
    if stripped and "\n" not in stripped and len(stripped) <= 60:
        # A one-line file such as "MIT" or "Apache-2.0".
        short = normalize_license(re.sub(r"^(the\s+)?", "", stripped, flags=re.IGNORECASE))
        if short is not None:
            return short
    words = _words(text)
    return _gnu_license(words) or _permissive_license(words)


_LICENSE_FILE = re.compile(r"^(licen[cs]e|copying|unlicense)([-_.][\w.-]*)?$", re.IGNORECASE)
_LICENSE_FILE_RANK = {"license": 0, "licence": 1, "unlicense": 2, "copying": 3}


_NOT_LICENSE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".json", ".css",
                         ".html", ".vue", ".map")


def is_license_file(name: str) -> bool:
    """True for file names such as LICENSE, LICENSE.md, LICENCE-MIT, COPYING (not code)."""
    return (_LICENSE_FILE.match(name) is not None
            and not name.lower().endswith(_NOT_LICENSE_SUFFIXES))


def _license_file_order(name: str) -> tuple[int, str]:
    match = _LICENSE_FILE.match(name)
    rank = _LICENSE_FILE_RANK.get(match.group(1).lower(), 9) if match else 9
    return rank, name


def license_for_origin(package_json: dict | None,
                       license_files: dict[str, str]) -> tuple[str | None, str | None]:
    """``(spdx, evidence)`` for one package or repository root.

    package.json's ``license`` (or legacy ``licenses``) wins when it normalises; otherwise
    the first recognised license file in the order LICENSE*, LICENCE*, UNLICENSE, COPYING*.
    Evidence is "package.json:license", "package.json:licenses" or the file name.
    """
    if isinstance(package_json, dict):
        for field in ("license", "licenses"):
            spdx = normalize_license(package_json.get(field))
            if spdx is not None:
                return spdx, f"package.json:{field}"
    for name in sorted(license_files, key=_license_file_order):
        spdx = detect_license_text(license_files[name])
        if spdx is not None:
            return spdx, name
    return None, None
