"""The package as a zip for ``--py-files``, so executors on other machines can import it.

    python lib/corpusforge/package_zip.py LIB_DIR OUT_DIR   # prints the zip's path

The zip is named by its content and never rewritten: a running job imports lazily from its
zip, so another job started from the same checkout must not replace that file. Zips of
other versions that no run has used for ``KEEP_DAYS`` are deleted, so ``build/`` does not
grow with every edit.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
import zipfile
from pathlib import Path

KEEP_DAYS = 2.0


def zip_bytes(src: Path) -> bytes:
    """``src/corpusforge`` as a reproducible zip (sorted entries, fixed timestamps, no caches)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for base, dirs, files in os.walk(src / "corpusforge"):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".pyc"):
                    continue
                path = Path(base) / name
                info = zipfile.ZipInfo(str(path.relative_to(src)), date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def build_zip(src: Path, out_dir: Path, keep_days: float = KEEP_DAYS, now: float | None = None) -> Path:
    """Write (or reuse) the zip of ``src`` in ``out_dir``; prune other versions unused for
    ``keep_days``. Returns the zip's path."""
    data = zip_bytes(src)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"corpusforge-{hashlib.sha256(data).hexdigest()[:16]}.zip"
    if out.exists():
        os.utime(out)  # in use again: not a candidate for pruning
    else:
        tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out)
    cutoff = (time.time() if now is None else now) - keep_days * 86400
    for old in out_dir.glob("corpusforge-*.zip"):
        if old != out and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return out


if __name__ == "__main__":
    print(build_zip(Path(sys.argv[1]), Path(sys.argv[2])))
