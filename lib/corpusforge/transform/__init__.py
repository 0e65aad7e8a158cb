"""The transform stage: rewrite public TypeScript into the framework's API with a rule pack.

Python API (no Spark)::

    from corpusforge.transform import load_rulepack, rewrite_source
    pack = load_rulepack("conf/rules/dframe_once.yaml")
    result = rewrite_source(text, "src/App.tsx", pack)
    result.text, result.rules_fired, result.diagnostics, result.framework_calls
"""

from corpusforge.transform.rewrite import Diagnostic, RewriteResult, rewrite_source
from corpusforge.transform.rulepack import RulePack, load_rulepack, rulepack_from_dict

__all__ = ["Diagnostic", "RewriteResult", "RulePack", "load_rulepack", "rewrite_source",
           "rulepack_from_dict"]
