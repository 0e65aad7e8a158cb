"""A real Spark standalone cluster on 127.0.0.1, started from the installed pyspark.

pyspark's wheel ships ``bin/spark-class`` and the jars but not ``sbin/start-master.sh``, so
the master and the workers are started as plain foreground processes, each in its own
process group, and stopped by killing those groups.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyspark

SPARK_HOME = Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StandaloneCluster:
    """A running master and its workers; ``stop()`` ends them all."""

    master_url: str
    ui_url: str
    folder: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def state(self) -> dict:
        """The master's status JSON (workers, applications)."""
        with urllib.request.urlopen(f"{self.ui_url}/json", timeout=5) as response:
            return json.loads(response.read())

    def completed_apps(self, expected: int, timeout: float = 60.0) -> list[dict]:
        """Finished applications, waiting up to ``timeout`` s for ``expected`` of them (the
        master records an application's end shortly after its driver exits)."""
        deadline = time.monotonic() + timeout
        while True:
            apps = self.state().get("completedapps", [])
            if len(apps) >= expected or time.monotonic() > deadline:
                return apps
            time.sleep(1)

    def alive_workers(self) -> list[dict]:
        """Workers the master counts as alive."""
        try:
            return [w for w in self.state().get("workers", []) if w.get("state") == "ALIVE"]
        except OSError:
            return []

    def logs(self, tail: int = 4000) -> str:
        """The end of every daemon's log, for failure messages."""
        out = []
        for log in sorted(self.folder.glob("*.log")):
            out.append(f"--- {log.name}\n{log.read_text(errors='replace')[-tail:]}")
        return "\n".join(out)

    def stop(self) -> None:
        """Kill the workers (and their executors), then the master; never raises."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in reversed(self.processes):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=30)


def _daemon_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "SPARK_HOME": str(SPARK_HOME),
        # Everything the daemons write stays under the test's folder, not in site-packages.
        "SPARK_LOG_DIR": str(folder / "logs"),
        "SPARK_PID_DIR": str(folder),
        "SPARK_LOCAL_DIRS": str(folder / "local"),
        "SPARK_CONF_DIR": str(folder / "conf"),
        "SPARK_DAEMON_MEMORY": "512m",
    })
    env.pop("MASTER", None)
    return env


def _start(argv: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)  # own process group: killpg ends it all


def start_cluster(folder: Path, workers: int = 2, cores: int = 1, memory: str = "2g",
                  timeout: float = 180.0) -> StandaloneCluster:
    """Start a master and ``workers`` workers on 127.0.0.1 and wait until all registered.

    The cluster is stopped again (and the error names the daemons' logs) when it does not
    come up within ``timeout`` seconds.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "local", "conf"):
        (folder / sub).mkdir(exist_ok=True)
    env = _daemon_env(folder)
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    port, ui_port = free_port(), free_port()
    cluster = StandaloneCluster(f"spark://127.0.0.1:{port}", f"http://127.0.0.1:{ui_port}", folder)
    try:
        cluster.processes.append(_start(
            [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
             "--port", str(port), "--webui-port", str(ui_port)], folder / "master.log", env))
        for n in range(workers):
            work_dir = folder / f"worker-{n}"
            work_dir.mkdir(exist_ok=True)
            cluster.processes.append(_start(
                [spark_class, "org.apache.spark.deploy.worker.Worker", cluster.master_url,
                 "--host", "127.0.0.1", "--cores", str(cores), "--memory", memory,
                 "--work-dir", str(work_dir), "--webui-port", str(free_port())],
                folder / f"worker-{n}.log", env))
        deadline = time.monotonic() + timeout
        while len(cluster.alive_workers()) < workers:
            dead = [p.args[1] for p in cluster.processes if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise RuntimeError(f"standalone cluster did not come up ({dead or 'timeout'}):\n"
                                   + cluster.logs())
            time.sleep(1)
    except BaseException:
        cluster.stop()
        raise
    return cluster
