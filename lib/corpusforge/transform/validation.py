"""Validation of rewritten documents: re-parse, idempotence, category and framework calls."""

from __future__ import annotations

from corpusforge.transform.bindings import resolve_bindings
from corpusforge.transform.parsing import ParseErrors, grammar_for, parse, parse_errors
from corpusforge.transform.rewrite import RewriteResult, count_framework_calls, rewrite_source
from corpusforge.transform.rulepack import RulePack

FRAMEWORK, ALIGNED, PUBLIC = "framework", "aligned", "public"


def reparse(text: str, path: str, language: str | None = None) -> ParseErrors:
    """ERROR/MISSING nodes of ``text`` parsed with the grammar its path calls for."""
    return parse_errors(parse(text, grammar_for(path, language)))


def reparse_clean(result: RewriteResult) -> bool:
    """The output has no more ERROR/MISSING nodes than the input had."""
    return reparse(result.text, result.path).total <= result.parse_errors_before


def is_idempotent(result: RewriteResult, pack: RulePack) -> bool:
    """Rewriting the output again changes nothing."""
    if result.parse_errors_before:
        return True  # unparsable input is never rewritten
    return rewrite_source(result.text, result.path, pack).text == result.text


def framework_calls(text: str, path: str, pack: RulePack, language: str | None = None) -> int:
    """Calls, `new`s and JSX elements in ``text`` that resolve into the framework's modules."""
    tree = parse(text, grammar_for(path, language))
    return count_framework_calls(resolve_bindings(tree, pack.namespace_defaults), pack)


def category(result: RewriteResult, framework_source: bool = False) -> str:
    """``framework`` for the company's own code, ``aligned`` for a valid rewrite with at
    least one framework call, ``public`` for everything else (left as it was)."""
    if framework_source:
        return FRAMEWORK
    if result.changed and result.valid and result.framework_calls >= 1:
        return ALIGNED
    return PUBLIC
