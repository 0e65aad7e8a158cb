"""corpusforge: framework-aligned training data for code LLMs, as Spark jobs over Delta Lake."""

__version__ = "0.1.0"
