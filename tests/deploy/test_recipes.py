"""The deployment recipes in deploy/ checked with the tools that exist for them.

SparkApplication manifests against the Spark operator's API models (kubeflow-spark-api, as
a JSON schema closed to unknown keys), EMR steps against botocore's EMR service model, the
Databricks job against databricks-sdk's JobSettings, the Dockerfile with hadolint (and
``docker build`` where a daemon answers), shell scripts with shellcheck; every job a recipe
names exists and every config it names loads with the real loader.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from corpusforge.cli import JOBS, build_parser, config_from_args
from corpusforge.config import load_config
from corpusforge.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_ROOT = "/opt/corpusforge"
BIN = Path(sys.executable).parent


def _load_module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem + "_" + path.parent.name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is missing: install the test extra (pip install -e '.[test]')"
    return found


def _job_config(job: str, args: list[str]):
    """Parse a recipe's job arguments as the CLI does and load the config they name."""
    assert job in JOBS and (ROOT / "jobs" / f"{job}.py").is_file(), job
    parsed = build_parser().parse_args([job, *args])
    return config_from_args(parsed)


def test_every_yaml_file_parses():
    files = [*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml"), *(ROOT / "conf").rglob("*.yaml")]
    assert files
    for path in files:
        list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


# --- Kubernetes (Spark operator)

def _closed(node):
    # The operator's CRD rejects unknown fields (structural schema, no preserve-unknown);
    # the generated models allow them, so close every object that lists its properties.
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)
    return node


@pytest.fixture(scope="module")
def spark_application_schema():
    """A validator of SparkApplication documents (the schema checked once, here)."""
    import jsonschema
    from kubeflow_spark_api.models.spark_v1beta2_spark_application import SparkV1beta2SparkApplication

    schema = _closed(SparkV1beta2SparkApplication.model_json_schema(by_alias=True))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_kubernetes_manifests_cover_every_job_and_are_rendered():
    render = _load_module(DEPLOY / "kubernetes" / "render.py")
    files = {p.name for p in (DEPLOY / "kubernetes").glob("sparkapplication-*.yaml")}
    assert set(render.batch_jobs()) == set(JOBS) - {"lineage"}
    assert files == {f"sparkapplication-{job}.yaml" for job in render.batch_jobs()}
    for job in render.batch_jobs():
        text = (DEPLOY / "kubernetes" / f"sparkapplication-{job}.yaml").read_text(encoding="utf-8")
        assert text == render.render(job), f"run deploy/kubernetes/render.py ({job} is stale)"


def test_kubernetes_manifests_match_the_operator_api(spark_application_schema):
    for path in sorted((DEPLOY / "kubernetes").glob("sparkapplication-*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        spark_application_schema.validate(doc)
        spec = doc["spec"]
        assert doc["apiVersion"] == "sparkoperator.k8s.io/v1beta2" and doc["kind"] == "SparkApplication"
        assert spec["type"] == "Python" and spec["mode"] in ("cluster", "client")
        job = re.fullmatch(rf"local://{APP_ROOT}/jobs/(\w+)\.py", spec["mainApplicationFile"]).group(1)
        args = [a.replace(f"{APP_ROOT}/", "") for a in spec["arguments"]]
        config = _job_config(job, args)
        assert "://" in config.warehouse
        for mount in spec["driver"].get("volumeMounts", []):
            assert config.shards.output.startswith(mount["mountPath"])


def test_schema_check_catches_mistakes(spark_application_schema):
    import jsonschema

    doc = yaml.safe_load((DEPLOY / "kubernetes" / "sparkapplication-pipeline.yaml").read_text())
    for breakage in (lambda d: d["spec"]["executor"].update(instance=3),        # misspelt field
                     lambda d: d["spec"]["sparkConf"].update(x=True),           # not a string
                     lambda d: d["spec"].pop("mainApplicationFile")):           # required
        broken = json.loads(json.dumps(doc))
        breakage(broken)
        with pytest.raises(jsonschema.ValidationError):
            spark_application_schema.validate(broken)


# --- AWS EMR

def test_emr_steps_are_rendered_and_valid_add_job_flow_steps_requests():
    import botocore.session
    from botocore.validate import ParamValidator

    render = _load_module(DEPLOY / "emr" / "render.py")
    shape = botocore.session.get_session().get_service_model("emr") \
        .operation_model("AddJobFlowSteps").input_shape
    for name, expected in render.requests().items():
        request = json.loads((DEPLOY / "emr" / name).read_text(encoding="utf-8"))
        assert request == expected, f"run deploy/emr/render.py ({name} is stale)"
        report = ParamValidator().validate(request, shape)
        assert not report.has_errors(), report.generate_report()
        for step in request["Steps"]:
            command = shlex.split(step["HadoopJarStep"]["Args"][-1])
            at = command.index("./spark-submit.sh")
            _job_config(command[at + 1], command[at + 2:])
    broken = json.loads(json.dumps(request))
    broken["Steps"][0]["HadoopJarStep"]["Arguments"] = []
    assert ParamValidator().validate(broken, shape).has_errors()


# --- Databricks

def test_databricks_job_is_rendered_and_a_valid_job_settings():
    from databricks.sdk.service.jobs import JobSettings

    render = _load_module(DEPLOY / "databricks" / "render.py")
    job = json.loads((DEPLOY / "databricks" / "job.json").read_text(encoding="utf-8"))
    assert job == render.job(), "run deploy/databricks/render.py (job.json is stale)"
    # The SDK's models drop what they do not know: a round trip that loses nothing means
    # every key and enum value is one the Jobs API defines.
    assert JobSettings.from_dict(job).as_dict() == job
    broken = json.loads(json.dumps(job))
    broken["job_clusters"][0]["new_cluster"]["node_typ_id"] = "x"
    assert JobSettings.from_dict(broken).as_dict() != broken
    for task in job["tasks"]:
        python_task = task["spark_python_task"]
        assert (ROOT / python_task["python_file"]).is_file()
        _job_config(python_task["parameters"][0], python_task["parameters"][1:])
    packages = {lib["pypi"]["package"].split("==")[0] for lib in job["tasks"][0]["libraries"] if "pypi" in lib}
    assert "pyspark" not in packages and {"spark-nlp", "tree-sitter", "sentencepiece"} <= packages


# --- the image

def test_dockerfile_passes_hadolint_and_copies_only_what_exists():
    dockerfile = DEPLOY / "image" / "Dockerfile"
    proc = subprocess.run([_tool("hadolint"), str(dockerfile)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    copies = [line.split()[1:-1] for line in dockerfile.read_text().splitlines()
              if line.startswith("COPY ") and "--from=" not in line]
    assert copies
    for sources in copies:
        for source in sources:
            assert glob.glob(str(ROOT / source)), f"COPY source {source} does not exist"
    jars = load_config(str(DEPLOY / "image" / "jars.yaml")).spark.jars
    assert jars.mode == "maven" and any(p.startswith("io.delta:delta-spark") for p in jars.packages)


def test_shell_scripts_pass_shellcheck():
    scripts = [DEPLOY / "image" / "entrypoint.sh", DEPLOY / "emr" / "bootstrap.sh"]
    proc = subprocess.run([_tool("shellcheck"), *map(str, scripts)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def _docker_daemon() -> bool:
    docker = shutil.which("docker")
    return bool(docker) and subprocess.run([docker, "info"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _docker_daemon(), reason="no Docker daemon reachable (docker info fails)")
def test_image_builds():
    proc = subprocess.run(["docker", "build", "-f", "deploy/image/Dockerfile", "-t",
                           "corpusforge:test", "."], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


# --- configs and connectors

def test_cluster_config_shows_object_stores_and_scale_settings():
    text = (ROOT / "conf" / "cluster.yaml").read_text()
    assert all(scheme in text for scheme in ("s3a://", "abfss://", "gs://"))
    config = load_config(str(ROOT / "conf" / "cluster.yaml"))
    extra = config.spark.extra_conf
    assert config.warehouse.startswith("s3a://") and config.spark.checkpoint_dir.startswith("s3a://")
    assert config.spark.shuffle_partitions >= 1000 and config.spark.arrow_max_records_per_batch
    assert extra["spark.sql.adaptive.enabled"] == "true" and "spark.executor.memoryOverhead" in extra
    from corpusforge.shards.stage import output_folder

    assert output_folder(config) == "/mnt/corpusforge/shards/150m"
    with pytest.raises(ConfigError, match="shards.output"):
        output_folder(load_config(str(ROOT / "conf" / "cluster.yaml"), {"shards.output": "shards"}))


def test_hadoop_connectors_match_pysparks_hadoop():
    import pyspark

    client = next(Path(pyspark.__file__).parent.joinpath("jars").glob("hadoop-client-api-*.jar"))
    hadoop = re.search(r"hadoop-client-api-(.+)\.jar", client.name).group(1)
    for config in ("conf/cluster.yaml", "deploy/image/jars.yaml"):
        packages = load_config(str(ROOT / config)).spark.jars.packages
        connectors = [p for p in packages if p.startswith("org.apache.hadoop:hadoop-")]
        assert connectors and all(p.endswith(f":{hadoop}") for p in connectors), (config, hadoop)


def test_standalone_spark_defaults_parse():
    for line in (DEPLOY / "standalone" / "spark-defaults.conf").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split(None, 1)
            assert key.startswith("spark.") and value.strip()


def test_every_job_a_readme_names_exists():
    texts = [p.read_text() for p in DEPLOY.rglob("README.md")] + [(ROOT / "docs" / "CLUSTER.md").read_text()]
    named = {m for text in texts for m in re.findall(r"spark-submit\.sh (\w+)", text)}
    assert named and named <= set(JOBS), named - set(JOBS)
