from pathlib import Path

import pytest

from corpusforge.errors import ConfigError
from corpusforge.filters.licenses import (LICENSE_MISSING, LICENSE_NOT_ALLOWED, LICENSE_UNKNOWN,
                                          LicensePolicy, license_decision, load_license_policy)

SHIPPED = Path(__file__).resolve().parents[2] / "conf" / "licenses.yaml"
POLICY = LicensePolicy(allowed=frozenset({"MIT", "Apache-2.0", "BSD-3-Clause"}),
                       allowed_exceptions=frozenset({"LLVM-exception"}))


@pytest.mark.parametrize("expression", [
    "MIT",
    "MIT OR GPL-3.0-only",
    "(MIT OR Apache-2.0) AND BSD-3-Clause",
    "Apache-2.0 WITH LLVM-exception",
    "GPL-3.0-only OR (Apache-2.0 WITH LLVM-exception)",
])
def test_allowed_expressions(expression):
    allowed, reason, _ = license_decision(expression, "github", POLICY)
    assert (allowed, reason) == (True, None)


@pytest.mark.parametrize("expression, failing", [
    ("MIT AND GPL-3.0-only", "GPL-3.0-only"),
    ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only, Classpath-exception-2.0"),
    ("MIT WITH Classpath-exception-2.0", "Classpath-exception-2.0"),
    ("GPL-3.0-only OR AGPL-3.0-only", "GPL-3.0-only, AGPL-3.0-only"),
    # "+" and "-or-later" are ids of their own, allowed only if listed.
    ("GPL-2.0+", "GPL-2.0-or-later"),
])
def test_not_allowed_names_the_failing_part(expression, failing):
    allowed, reason, detail = license_decision(expression, "github", POLICY)
    assert (allowed, reason) == (False, LICENSE_NOT_ALLOWED)
    assert detail.startswith(f"{failing} in '{expression}'")
    assert detail.endswith("not in the allowlist")


def test_not_allowed_detail_reads_as_a_sentence():
    assert license_decision("MIT AND GPL-3.0-only", "npm", POLICY)[2] == \
        "GPL-3.0-only in 'MIT AND GPL-3.0-only' is not in the allowlist"


@pytest.mark.parametrize("expression, named", [
    ("LicenseRef-custom", "LicenseRef-custom"),
    # license_expression maps this alias onto MIT; the policy only trusts SPDX ids.
    ("LicenseRef-MIT-Bootstrap", "LicenseRef-MIT-Bootstrap"),
    ("custom", "custom"),
    ("MIT AND (", "MIT AND ("),
    ("LLVM-exception", "LLVM-exception"),
    ("MIT WITH Apache-2.0", "Apache-2.0"),
])
def test_unknown_expressions(expression, named):
    allowed, reason, detail = license_decision(expression, "github", POLICY)
    assert (allowed, reason) == (False, LICENSE_UNKNOWN)
    assert named in detail


@pytest.mark.parametrize("expression", [None, "", "   "])
def test_missing_license(expression):
    assert license_decision(expression, "github", POLICY)[:2] == (False, LICENSE_MISSING)


def test_exempt_source_needs_no_license():
    assert license_decision(None, "framework", POLICY) == \
        (True, None, "exempt source framework")
    assert license_decision("LicenseRef-internal", "framework", POLICY)[0] is True


def test_shipped_policy_loads():
    policy = load_license_policy(str(SHIPPED))
    assert {"MIT", "Apache-2.0", "CC-BY-4.0", "0BSD"} <= policy.allowed
    assert policy.allowed_exceptions == frozenset({"LLVM-exception"})
    assert policy.exempt_sources == frozenset({"framework"})
    assert license_decision("Apache-2.0 WITH LLVM-exception", "npm", policy)[0] is True
    assert license_decision("GPL-3.0-or-later", "npm", policy)[1] == LICENSE_NOT_ALLOWED


def test_policy_ids_are_canonicalised(tmp_path):
    conf = tmp_path / "licenses.yaml"
    conf.write_text("allowed: [mit, GPL-2.0+]\n")
    policy = load_license_policy(str(conf))
    assert policy.allowed == frozenset({"MIT", "GPL-2.0-or-later"})
    assert policy.exempt_sources == frozenset({"framework"})


@pytest.mark.parametrize("text, named", [
    ("allowed: [MIT, Not-A-License-1.0]\n", "'Not-A-License-1.0' in 'allowed'"),
    ("allowed: [MIT, LicenseRef-custom]\n", "'LicenseRef-custom' in 'allowed'"),
    ("allowed: [LLVM-exception]\n", "'LLVM-exception' in 'allowed'"),
    ("allowed: [MIT]\nallowed_exceptions: [MIT]\n", "'MIT' in 'allowed_exceptions'"),
    ("allowed: [MIT]\nallow_all: true\n", "unknown key(s) allow_all"),
    ("allowed_exceptions: []\n", "missing key 'allowed'"),
    ("allowed: MIT\n", "'allowed' must be a list"),
    ("- MIT\n", "top level must be a mapping"),
])
def test_bad_policy_errors_name_the_problem_and_file(tmp_path, text, named):
    conf = tmp_path / "licenses.yaml"
    conf.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_license_policy(str(conf))
    assert named in str(error.value)
    assert str(conf) in str(error.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read license policy"):
        load_license_policy(str(tmp_path / "nope.yaml"))
