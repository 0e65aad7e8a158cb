"""Whether a document's SPDX license expression lets the company train on it.

The policy (``conf/licenses.yaml``) lists allowed SPDX license ids and exceptions; an
expression is evaluated as a tree: OR needs one allowed branch, AND needs all of them,
``X WITH e`` needs X allowed and e among the allowed exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import yaml
from license_expression import (AND, OR, ExpressionError, LicenseExpression, LicenseSymbol,
                                LicenseWithExceptionSymbol, Licensing, get_spdx_licensing)

from corpusforge.errors import ConfigError

LICENSE_MISSING = "license_missing"
LICENSE_UNKNOWN = "license_unknown"
LICENSE_NOT_ALLOWED = "license_not_allowed"

_POLICY_KEYS = ("allowed", "allowed_exceptions", "exempt_sources")
# The SPDX licensing of license_expression also knows ScanCode's LicenseRef-* keys and
# maps some LicenseRef-* aliases onto SPDX ids; the policy only trusts real SPDX ids.
_LICENSE_REF = re.compile(r"\b(?:LicenseRef|DocumentRef)-[\w.+:-]*", re.IGNORECASE)


@dataclass(frozen=True)
class LicensePolicy:
    """Allowed SPDX ids (canonical spelling, e.g. "Apache-2.0") and exempt sources."""

    allowed: frozenset[str]
    allowed_exceptions: frozenset[str] = frozenset()
    # Sources whose documents need no license at all (the company's own code).
    exempt_sources: frozenset[str] = frozenset({"framework"})


@lru_cache(maxsize=1)
def _licensing() -> Licensing:
    return get_spdx_licensing()


def _is_spdx_key(key: str) -> bool:
    return key in _licensing().known_symbols and not _LICENSE_REF.match(key)


@lru_cache(maxsize=8192)
def _parse(expression: str) -> tuple[LicenseExpression | None, str | None]:
    """``(tree, None)`` for a valid expression of known SPDX ids, else ``(None, why)``."""
    refs = _LICENSE_REF.findall(expression)
    if refs:
        verb = "is" if len(refs) == 1 else "are"
        return None, f"{', '.join(refs)} {verb} not an SPDX license id in '{expression}'"
    licensing = _licensing()
    try:
        tree = licensing.parse(expression)
    except ExpressionError as exc:
        return None, f"cannot parse '{expression}': {exc}"
    if tree is None:
        return None, f"cannot parse '{expression}': no license in it"
    problems: list[str] = []
    for symbol in licensing.license_symbols(tree, unique=True, decompose=False):
        if isinstance(symbol, LicenseWithExceptionSymbol):
            license_symbol, exception = symbol.license_symbol, symbol.exception_symbol
            if not _is_spdx_key(exception.key) or not exception.is_exception:
                problems.append(f"{exception.key} is not an SPDX license exception")
        else:
            license_symbol = symbol
        if not _is_spdx_key(license_symbol.key):
            problems.append(f"{license_symbol.key} is not an SPDX license id")
        elif license_symbol.is_exception:
            problems.append(f"{license_symbol.key} is an exception, not a license")
    if problems:
        return None, f"{'; '.join(problems)} in '{expression}'"
    return tree, None


def _failures(node: LicenseExpression, policy: LicensePolicy) -> list[str]:
    """The ids that keep ``node`` from being allowed (empty when it is allowed)."""
    if isinstance(node, LicenseWithExceptionSymbol):
        failed = _failures(node.license_symbol, policy)
        if node.exception_symbol.key not in policy.allowed_exceptions:
            failed.append(node.exception_symbol.key)
        return failed
    if isinstance(node, LicenseSymbol):
        return [] if node.key in policy.allowed else [node.key]
    branches = [_failures(child, policy) for child in node.args]
    if isinstance(node, OR) and any(not failed for failed in branches):
        return []
    if isinstance(node, (AND, OR)):
        return list(dict.fromkeys(key for failed in branches for key in failed))
    raise TypeError(f"unexpected license expression node {node!r}")


def license_decision(expression: str | None, source: str,
                     policy: LicensePolicy) -> tuple[bool, str | None, str]:
    """``(allowed, reason, detail)`` for a document's license under ``policy``.

    Exempt sources are always allowed. Otherwise reason is LICENSE_MISSING (no
    expression), LICENSE_UNKNOWN (unparseable, or an id that is not an SPDX id such as
    LicenseRef-*), LICENSE_NOT_ALLOWED (the tree does not evaluate to allowed), or None
    when allowed; detail names the failing part.
    """
    if source in policy.exempt_sources:
        return True, None, f"exempt source {source}"
    expression = (expression or "").strip()
    if not expression:
        return False, LICENSE_MISSING, f"no license for source {source}"
    tree, problem = _parse(expression)
    if tree is None:
        return False, LICENSE_UNKNOWN, problem or f"cannot parse '{expression}'"
    failed = _failures(tree, policy)
    if failed:
        verb = "is" if len(failed) == 1 else "are"
        return (False, LICENSE_NOT_ALLOWED,
                f"{', '.join(failed)} in '{expression}' {verb} not in the allowlist")
    return True, None, f"'{expression}' is allowed"


def _string_list(data: dict, key: str, path: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"'{key}' must be a list of strings", path=path, stage="config")
    return value


def _canonical_id(value: str, key: str, path: str, *, exception: bool) -> str:
    kind = "license exception" if exception else "license"
    try:
        symbol = None if _LICENSE_REF.search(value) else _licensing().parse(value)
    except ExpressionError:
        symbol = None
    if (not isinstance(symbol, LicenseSymbol) or not _is_spdx_key(symbol.key)
            or symbol.is_exception != exception):
        raise ConfigError(f"'{value}' in '{key}' is not an SPDX {kind} id", path=path,
                          stage="config", hint="use ids from https://spdx.org/licenses/")
    return symbol.key


def load_license_policy(path: str) -> LicensePolicy:
    """The policy in the YAML file at ``path``; ConfigError names any bad key or id."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read license policy: {exc.strerror}", path=path,
                          stage="config") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", path=path, stage="config") from None
    if not isinstance(data, dict):
        raise ConfigError("top level must be a mapping", path=path, stage="config")
    unknown = sorted(set(data) - set(_POLICY_KEYS))
    if unknown:
        raise ConfigError(f"unknown key(s) {', '.join(map(str, unknown))}", path=path,
                          stage="config", hint=f"expected only {', '.join(_POLICY_KEYS)}")
    if "allowed" not in data:
        raise ConfigError("missing key 'allowed'", path=path, stage="config")
    allowed = [_canonical_id(value, "allowed", path, exception=False)
               for value in _string_list(data, "allowed", path)]
    exceptions = [_canonical_id(value, "allowed_exceptions", path, exception=True)
                  for value in _string_list(data, "allowed_exceptions", path)]
    fields: dict[str, frozenset[str]] = {"allowed": frozenset(allowed),
                                         "allowed_exceptions": frozenset(exceptions)}
    if "exempt_sources" in data:
        fields["exempt_sources"] = frozenset(_string_list(data, "exempt_sources", path))
    return LicensePolicy(**fields)
