"""Parse ``KIND:LOCATION`` input specs (``--input`` and ``ingest.inputs``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpusforge.errors import InputError

KINDS = ("framework", "dir", "npm", "stack", "text")

# The table contract's `source` value for each input kind.
SOURCE_OF_KIND = {"framework": "framework", "dir": "github", "npm": "npm",
                  "stack": "the_stack", "text": "text"}


@dataclass(frozen=True)
class InputSpec:
    """One input: its kind and where it is (a path, or NAME@VERSION for npm)."""

    kind: str
    location: str

    @property
    def source(self) -> str:
        """The ``source`` column value rows from this input get."""
        return SOURCE_OF_KIND[self.kind]

    def __str__(self) -> str:
        return f"{self.kind}:{self.location}"


def _is_local(location: str) -> bool:
    return "://" not in location


def parse_input_spec(text: str) -> InputSpec:
    """Parse and check one spec; a path that does not exist is an :class:`InputError`."""
    kind, sep, location = text.partition(":")
    if not sep or kind not in KINDS or not location:
        raise InputError(f"bad input spec {text!r}", stage="ingest",
                         hint=f"use KIND:LOCATION with KIND one of {', '.join(KINDS)}, "
                              "e.g. dir:samples/github or npm:react@18.3.1")
    if kind == "npm" and not location.endswith((".tgz", ".tar.gz")):
        return InputSpec(kind, location)  # NAME@VERSION, fetched with npm pack
    if _is_local(location):
        path = Path(location).expanduser()
        if not path.exists():
            raise InputError(f"{kind} input path does not exist", path=location, stage="ingest",
                             hint="check the path, relative paths are from the current directory")
        if kind in ("framework", "dir") and not path.is_dir():
            raise InputError(f"{kind}: input must be a directory", path=location, stage="ingest")
        location = str(path.resolve())
    return InputSpec(kind, location)


def parse_input_specs(texts: list[str]) -> list[InputSpec]:
    """Parse specs, dropping exact repeats (the same input twice is read once)."""
    seen: dict[InputSpec, None] = {}
    for text in texts:
        seen.setdefault(parse_input_spec(text), None)
    return list(seen)
