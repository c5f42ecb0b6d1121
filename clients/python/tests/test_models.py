"""The typed models: generated from the JSON Schema and up to date, and they read JobSets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jobset_temporal
from jobset_temporal import JobSet, JobSetStatus, leader_workers

from .conftest import PACKAGE


def test_the_package_under_test_is_the_installed_wheel() -> None:
    # run-tests.sh installs the wheel into a fresh virtualenv: the tests must import that, not src/.
    if os.environ.get("JOBSET_PYTHON_WHEEL"):
        assert "site-packages" in jobset_temporal.__file__, jobset_temporal.__file__
        assert (Path(jobset_temporal.__file__).parent / "models.py").exists()


def test_models_are_generated_from_the_current_schema() -> None:
    check = subprocess.run([sys.executable, str(PACKAGE / "scripts" / "gen_models.py"), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_a_status_reads_with_upstream_field_names_and_keeps_unknown_fields() -> None:
    status = JobSetStatus.model_validate(
        {
            "terminalState": "Failed",
            "restarts": 2,
            "conditions": [{"type": "Failed", "status": "True", "reason": "FailedJobs", "message": "m", "lastTransitionTime": "2026-01-01T00:00:00Z"}],
            "replicatedJobsStatus": [{"name": "w", "ready": 1, "succeeded": 0, "failed": 1, "active": 1, "suspended": 0}],
            "fromANewerServer": True,
        }
    )
    assert (status.terminalState, status.restarts, status.conditions[0].reason, status.replicatedJobsStatus[0].failed) == ("Failed", 2, "FailedJobs", 1)
    assert status.model_dump()["fromANewerServer"] is True


def test_leader_workers_builds_a_valid_jobset() -> None:
    js = leader_workers("train", image="busybox", workers=3, command=["torchrun", "train.py"], env={"NCCL_DEBUG": "INFO"}, max_restarts=2)
    assert isinstance(js, JobSet)
    leader, workers = js.spec.replicatedJobs
    assert (leader.name, leader.template.spec.parallelism, workers.name, workers.template.spec.parallelism) == ("leader", 1, "workers", 3)
    env = {e["name"]: e.get("value") for e in workers.template.spec.template.spec.containers[0].env}
    assert env == {"MASTER_ADDR": "train-leader-0-0.train", "MASTER_PORT": "29500", "WORLD_SIZE": "4", "NCCL_DEBUG": "INFO", "RANK_OFFSET": "1", "JOB_COMPLETION_INDEX": None}
    assert js.spec.failurePolicy.maxRestarts == 2
    # What submit sends passes the package's own schema check.
    jobset_temporal.validate_jobset(js.model_dump(mode="json", exclude_none=True))
