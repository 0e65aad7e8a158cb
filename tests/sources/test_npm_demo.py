"""conf/npm-demo.yaml, the "try it on real data" preset: pinned, permissive, with near-duplicates."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict

import pytest

from corpusforge.config import load_config
from corpusforge.filters.licenses import license_decision, load_license_policy
from corpusforge.sources.npm import parse_npm_spec
from corpusforge.sources.specs import parse_input_specs
from tests.conftest import ROOT

PRESET = ROOT / "conf" / "npm-demo.yaml"


def _packages() -> list[tuple[str, str]]:
    config = load_config(str(PRESET))
    specs = parse_input_specs(config.ingest.inputs)
    return [parse_npm_spec(s.location) for s in specs if s.kind == "npm"]


def test_preset_pins_about_30_packages_with_several_versions_of_some():
    packages = _packages()  # parse_npm_spec rejects anything but an exact version
    assert 25 <= len(packages) <= 35 and len(set(packages)) == len(packages)
    versions: dict[str, set[str]] = defaultdict(set)
    for name, version in packages:
        versions[name].add(version)
    assert sum(len(v) >= 2 for v in versions.values()) >= 3
    config = load_config(str(PRESET))
    assert config.warehouse != load_config(str(ROOT / "conf" / "local.yaml")).warehouse
    assert "report" in config.pipeline.stages and config.filter.cleaning.enabled


@pytest.mark.network
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_every_preset_package_exists_under_an_allowed_license():
    policy = load_license_policy(str(ROOT / "conf" / "licenses.yaml"))
    for name, version in _packages():
        proc = subprocess.run(["npm", "view", f"{name}@{version}", "license", "--json"], capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        if proc.returncode != 0 and "E404" not in proc.stderr:
            pytest.skip(f"npm registry unreachable: {proc.stderr.strip()[-300:]}")
        assert proc.returncode == 0 and proc.stdout.strip(), f"{name}@{version} is not on the registry"
        license = json.loads(proc.stdout)
        allowed, reason, detail = license_decision(license, "npm", policy)
        assert allowed, f"{name}@{version}: {license} ({reason}: {detail})"
