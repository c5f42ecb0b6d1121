"""Fixtures: the real local environment, a TypeScript worker process, a Kubernetes namespace per test.

The environment comes from the repository's own scripts (deploy/local/temporal.sh and
cluster.sh, both idempotent: an environment already up is reused). TEMPORAL_ADDRESS, when set,
names the Temporal frontend to use.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[3]
PACKAGE = Path(__file__).resolve().parents[1]


def _script(name: str, verb: str) -> str:
    return subprocess.run(["bash", str(REPO / "deploy" / "local" / name), verb], cwd=REPO, check=True, stdout=subprocess.PIPE, text=True, timeout=1800).stdout


def _exports(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^export ([A-Z_]+)=(.*)$", text, re.M)}


@dataclass
class Environment:
    address: str
    kubeconfig: str
    kubectl: str

    def kube(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.kubectl, *args], env={**os.environ, "KUBECONFIG": self.kubeconfig}, check=check, capture_output=True, text=True, timeout=60
        )

    def jobs(self, namespace: str, jobset: str) -> list[str]:
        """Names of the child Jobs of a JobSet."""
        out = self.kube("get", "jobs", "-n", namespace, "-l", f"jobset.sigs.k8s.io/jobset-name={jobset}", "-o", "name").stdout
        return sorted(line for line in out.splitlines() if line)


@dataclass
class WorkerProcess:
    task_queue: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def env() -> Environment:
    _script("temporal.sh", "up")
    _script("cluster.sh", "up")
    address = os.environ.get("TEMPORAL_ADDRESS") or _exports(_script("temporal.sh", "env"))["TEMPORAL_ADDRESS"]
    kubeconfig = _exports(_script("cluster.sh", "env"))["KUBECONFIG"]
    kubectl = str(Path(_script("cluster.sh", "bin").strip()) / "kubectl")
    return Environment(address=address, kubeconfig=kubeconfig, kubectl=kubectl)


@pytest.fixture(scope="session")
def worker(env: Environment, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    """The TypeScript worker (`jobset worker`, the built CLI) on a task queue of its own."""
    task_queue = f"py-{secrets.token_hex(3)}"
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["node", "bin/jobset.js", "worker"],
            cwd=REPO,
            env={**os.environ, "TEMPORAL_ADDRESS": env.address, "KUBECONFIG": env.kubeconfig, "JOBSET_TASK_QUEUE": task_queue},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while f"jobset worker: task queue {task_queue}" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    yield WorkerProcess(task_queue=task_queue, process=process, log=log)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def namespace(env: Environment) -> Iterator[str]:
    """A fresh Kubernetes namespace, ready for pods (its default ServiceAccount exists)."""
    name = f"py-{secrets.token_hex(3)}"
    env.kube("create", "namespace", name)
    deadline = time.monotonic() + 60
    while env.kube("get", "serviceaccount", "default", "-n", name, check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"namespace {name}: no default ServiceAccount after 60 s")
        time.sleep(0.2)
    yield name
    env.kube("delete", "namespace", name, "--wait=false", check=False)


# The temporalio client can crash the interpreter at exit (temporalio/sdk-python#300). pytest has
# printed its summary (and written --junitxml) by the time it unconfigures: leave then through
# os._exit with pytest's own exit status, as run_and_exit does for scripts.
_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)
