"""Per-document keep/drop decisions as plain functions: license policy and code quality.

Each decision returns a reason code and a human detail so the Spark stage can hand
dropped rows to the reject table instead of deleting them.
"""
