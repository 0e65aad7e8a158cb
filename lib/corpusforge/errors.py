"""One exception family whose messages name the file, the stage and the fix."""

from __future__ import annotations


class CorpusforgeError(Exception):
    """Base error: ``stage`` and ``path`` locate the problem, ``hint`` says what to do."""

    def __init__(self, message: str, *, stage: str | None = None, path: str | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.stage = stage
        self.path = path
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as one line a person can act on."""
        parts = []
        if self.stage:
            parts.append(f"[{self.stage}]")
        if self.path:
            parts.append(f"{self.path}:")
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class ConfigError(CorpusforgeError):
    """A config file or CLI flag is missing, unknown or of the wrong type."""


class InputError(CorpusforgeError):
    """An input named on the command line or in config cannot be read as asked."""


class AccountingError(CorpusforgeError):
    """A stage lost or invented rows: rows in != rows out + rows rejected."""


class EnvironmentProblem(CorpusforgeError):
    """Java, jars or the Python environment are not what the jobs need."""


class WarehouseError(CorpusforgeError):
    """The warehouse was written by an incompatible corpusforge version (format or schema)."""
