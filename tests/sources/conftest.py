"""Reader tests run without Spark; shared markers and paths live in pyproject.toml."""
