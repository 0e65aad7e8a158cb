"""Where a document was read from, as a URL: the ``source_url`` provenance column.

npm packages fetched by name get their registry tarball URL; local folders, tarballs and
dataset files get a ``file://`` URI (object-store locations are kept as they are). The
row inside a dataset file is the document's ``path`` (``file#line`` for text JSONL, the
repository path for Stack rows).
"""

from __future__ import annotations

from pathlib import Path

NPM_REGISTRY = "https://registry.npmjs.org"


def npm_tarball_url(spec: str, registry: str = NPM_REGISTRY) -> str | None:
    """Registry URL of ``name@version`` (``@scope/name@1.0.0`` -> ``…/@scope/name/-/name-1.0.0.tgz``)."""
    name, sep, version = spec.rpartition("@")
    if not sep or not name or not version:
        return None
    return f"{registry}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def location_url(location: str) -> str:
    """A local path as a ``file://`` URI; a location with a scheme unchanged."""
    if "://" in location or location.startswith("file:"):
        return location
    return Path(location).expanduser().resolve().as_uri()


def work_item_url(kind: str, location: str, origin: str | None) -> str:
    """URL of an ingest work item: a file, an npm tarball (fetched by name or local), a JSONL file."""
    if kind == "npm" and origin:  # an npm work item has an origin only when fetched by name
        url = npm_tarball_url(origin)
        if url:
            return url
    return location_url(location)
