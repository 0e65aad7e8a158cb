"""Resolve the JVM jars (Delta Lake, Spark NLP) into a cache once, reuse them after.

Spark's own ``--packages`` resolver needs direct access to a Maven repository; Maven
itself honours the machine's mirror settings, so by default the jars are resolved with
``mvn dependency:copy-dependencies`` into ``<cache_dir>/<hash of the coordinates>/``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from corpusforge.config import JarSettings, load_config
from corpusforge.errors import EnvironmentProblem

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>corpusforge</groupId><artifactId>corpusforge-jars</artifactId>
  <version>1</version><packaging>pom</packaging>
  <dependencies>
{deps}
  </dependencies>
</project>
"""

# Spark ships its own Scala runtime; a second copy on the classpath breaks it.
_ALWAYS_DROP = ("scala-library-", "scala-reflect-")


def _pom(settings: JarSettings) -> str:
    exclusions = "".join(
        f"<exclusion><groupId>{g}</groupId><artifactId>{a}</artifactId></exclusion>"
        for g, a in (e.split(":", 1) for e in settings.exclude))
    deps = []
    for coord in settings.packages:
        group, artifact, version = coord.split(":")
        deps.append(f"    <dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
                    f"<version>{version}</version><exclusions>{exclusions}</exclusions></dependency>")
    return _POM.format(deps="\n".join(deps))


def maven_jars_dir(settings: JarSettings) -> Path:
    """The cache folder for these coordinates (exists once resolved)."""
    key = hashlib.sha256(_pom(settings).encode()).hexdigest()[:16]
    return Path(settings.cache_dir).expanduser() / key


def _resolve_with_maven(settings: JarSettings) -> Path:
    target = maven_jars_dir(settings)
    if (target / ".complete").exists():
        return target
    if shutil.which("mvn") is None:
        raise EnvironmentProblem(
            "Maven (mvn) is not installed, so the Delta Lake and Spark NLP jars cannot be resolved",
            stage="session", hint="install Maven, or set spark.jars.mode: dir with a jars folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one resolver at a time (tests, jobs, notebooks)
        if (target / ".complete").exists():
            return target
        work = Path(tempfile.mkdtemp(prefix="resolve-", dir=target.parent))
        try:
            (work / "pom.xml").write_text(_pom(settings))
            print(f"corpusforge: resolving jars with Maven into {target} (first run only)",
                  file=sys.stderr)
            proc = subprocess.run(
                ["mvn", "-q", "-B", "-f", str(work / "pom.xml"), "dependency:copy-dependencies",
                 f"-DoutputDirectory={work / 'jars'}", "-DincludeScope=runtime"],
                capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0:
                tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
                raise EnvironmentProblem(
                    "Maven could not resolve the jars: " + " | ".join(tail), stage="session",
                    hint="check network access to Maven Central or the mirror in ~/.m2/settings.xml")
            for jar in (work / "jars").glob("*.jar"):
                if jar.name.startswith(_ALWAYS_DROP):
                    jar.unlink()
            (work / "jars" / ".complete").write_text("\n".join(settings.packages))
            if target.exists():
                shutil.rmtree(target)
            os.replace(work / "jars", target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


def resolve_jars(settings: JarSettings) -> list[str]:
    """Absolute paths of the jars to put on the classpath (empty for packages/none modes)."""
    if settings.mode == "maven":
        folder = _resolve_with_maven(settings)
    elif settings.mode == "dir":
        if not settings.dir or not Path(settings.dir).expanduser().is_dir():
            raise EnvironmentProblem(f"jars directory {settings.dir!r} does not exist",
                                     stage="session", hint="set spark.jars.dir to a folder of jars")
        folder = Path(settings.dir).expanduser()
    else:
        return []
    jars = sorted(str(p.resolve()) for p in folder.glob("*.jar"))
    if not jars:
        raise EnvironmentProblem(f"no jars in {folder}", stage="session",
                                 hint="delete the folder to resolve again")
    return jars


def main(argv: list[str] | None = None) -> int:
    """``python -m corpusforge.jars [CONFIG]``: resolve and print the comma-separated jar list."""
    args = sys.argv[1:] if argv is None else argv
    config = load_config(args[0] if args else None)
    print(",".join(resolve_jars(config.spark.jars)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
