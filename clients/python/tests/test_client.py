"""The Python SDK against the real dev server and the TypeScript worker (fixtures in conftest.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from temporalio.service import RPCError, RPCStatusCode

from jobset_temporal import (
    JobSet,
    JobSetClient,
    JobSetConflictError,
    JobSetFailedError,
    JobSetNotFoundError,
    JobSetUpdateRejectedError,
    JobSetValidationError,
    JobSetStatus,
    JobSetWaitTimeoutError,
    SyncJobSetClient,
    leader_workers,
    workflow_id,
)

from .conftest import PACKAGE, Environment, WorkerProcess


def jobset(name: str, duration: str = "1s", replicas: int = 1, fail: bool = False) -> dict[str, Any]:
    annotations = {"kwok-sim/run-duration": duration, **({"kwok-sim/fail": "true"} if fail else {})}
    return {
        "apiVersion": "jobset.x-k8s.io/v1alpha2",
        "kind": "JobSet",
        "metadata": {"name": name},
        "spec": {
            "replicatedJobs": [
                {
                    "name": "w",
                    "replicas": replicas,
                    "template": {
                        "spec": {
                            "backoffLimit": 0,
                            "template": {
                                "metadata": {"annotations": annotations},
                                "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]},
                            },
                        }
                    },
                }
            ]
        },
    }


async def connect(env: Environment, worker: WorkerProcess) -> JobSetClient:
    return await JobSetClient.connect(env.address, task_queue=worker.task_queue)


def wait_for_jobs(env: Environment, namespace: str, name: str, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(env.jobs(namespace, name)) != count:
        assert time.monotonic() < deadline, f"{count} child Jobs of {name} never appeared"
        time.sleep(0.3)


def test_submit_and_wait_completed(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    async def scenario() -> None:
        client = await connect(env, worker)
        first = await client.submit(jobset("py-ok", replicas=2), namespace=namespace)
        assert first.created and first.workflow_id == workflow_id(namespace, "py-ok")
        assert len(first.job_set.metadata.uid or "") == 36

        status = await client.wait(namespace, "py-ok", for_="Completed", timeout=180)
        assert status.terminalState == "Completed"
        assert any(c.type == "Completed" and c.reason == "AllJobsCompleted" for c in status.conditions or [])

        info = await client.get(namespace, "py-ok")
        assert (info.state, info.closed, info.execution_status) == ("Completed", True, "COMPLETED")
        # The workflow's copy is defaulted by the TypeScript side.
        assert info.job_set.spec.replicatedJobs[0].template.spec.completionMode == "Indexed"
        assert env.jobs(namespace, "py-ok") == ["job.batch/py-ok-w-0", "job.batch/py-ok-w-1"]

        # Same spec again (as YAML text): nothing new; another spec under the name: refused.
        import yaml

        again = await client.submit(yaml.safe_dump(jobset("py-ok", replicas=2)), namespace=namespace)
        assert (again.created, again.run_id) == (False, first.run_id)
        with pytest.raises(JobSetConflictError) as conflict:
            await client.submit(jobset("py-ok", replicas=3), namespace=namespace)
        assert "spec.replicatedJobs[0].replicas" in conflict.value.differences

    asyncio.run(scenario())


def test_invalid_dict_is_rejected_locally_with_the_field_path_and_nothing_started(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    async def scenario() -> None:
        client = await connect(env, worker)
        bad = jobset("py-bad")
        bad["spec"]["replicatedJobs"][0]["replicas"] = "two"
        with pytest.raises(JobSetValidationError) as caught:
            await client.submit(bad, namespace=namespace)
        assert [i.path for i in caught.value.issues] == ["spec.replicatedJobs[0].replicas"]
        with pytest.raises(JobSetValidationError, match="metadata.namespace"):
            await client.submit({**jobset("py-bad"), "metadata": {"name": "py-bad", "namespace": "elsewhere"}}, namespace=namespace)
        with pytest.raises(RPCError) as missing:
            await client.client.get_workflow_handle(workflow_id(namespace, "py-bad")).describe()
        assert missing.value.status == RPCStatusCode.NOT_FOUND
        with pytest.raises(JobSetNotFoundError):
            await client.get(namespace, "py-bad")

    asyncio.run(scenario())


def test_suspend_and_resume(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    async def scenario() -> None:
        client = await connect(env, worker)
        await client.submit(jobset("py-pause", duration="10m", replicas=2), namespace=namespace)
        wait_for_jobs(env, namespace, "py-pause", 2)

        await client.suspend(namespace, "py-pause")
        status = await client.wait(namespace, "py-pause", for_="Suspended", timeout=120)
        assert any(c.type == "Suspended" and c.status == "True" for c in status.conditions or [])
        assert (await client.get(namespace, "py-pause")).state == "Suspended"

        with pytest.raises(JobSetValidationError, match="not in spec.replicatedJobs"):
            await client.resume(namespace, "py-pause", {"podTemplates": {"nope": {"labels": {"a": "b"}}}})
        # Resume with short pods: the JobSet then completes.
        await client.resume(namespace, "py-pause", {"podTemplates": {"w": {"annotations": {"kwok-sim/run-duration": "1s"}}}})
        done = await client.wait(namespace, "py-pause", for_="Completed", timeout=180)
        assert any(c.type == "Suspended" and c.status == "False" and c.reason == "ResumeJobs" for c in done.conditions or [])
        with pytest.raises(JobSetUpdateRejectedError, match="finished"):
            await client.suspend(namespace, "py-pause")

    asyncio.run(scenario())


def test_wait_errors_and_delete(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    async def scenario() -> None:
        client = await connect(env, worker)
        await client.submit(jobset("py-slow", duration="10m"), namespace=namespace)
        with pytest.raises(JobSetWaitTimeoutError):
            await client.wait(namespace, "py-slow", for_="Completed", timeout=1.5)

        await client.submit(jobset("py-fail", fail=True), namespace=namespace)
        with pytest.raises(JobSetFailedError, match="FailedJobs") as failed:
            await client.wait(namespace, "py-fail", timeout=180)
        assert failed.value.status.terminalState == "Failed"

        # Delete a running JobSet (cancellation) and a finished one (cleanup run): the Jobs go too.
        wait_for_jobs(env, namespace, "py-slow", 1)
        await client.delete(namespace, "py-slow")
        await client.delete(namespace, "py-fail")
        assert env.jobs(namespace, "py-slow") == [] and env.jobs(namespace, "py-fail") == []
        for name in ("py-slow", "py-fail"):
            with pytest.raises(JobSetNotFoundError):
                await client.get(namespace, name)
            with pytest.raises(JobSetNotFoundError):
                await client.delete(namespace, name)
        # The name is free again.
        assert (await client.submit(jobset("py-fail"), namespace=namespace)).created

    asyncio.run(scenario())


def test_the_documented_example_script_runs_and_exits_cleanly(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    result = subprocess.run(
        [sys.executable, str(PACKAGE / "examples" / "submit_and_wait.py")],
        env={**os.environ, "TEMPORAL_ADDRESS": env.address, "JOBSET_TASK_QUEUE": worker.task_queue, "JOBSET_NAMESPACE": namespace},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"jobset/{namespace}/hello-python: created",
        "hello-python: Completed, restarts 0",
    ]
    assert env.jobs(namespace, "hello-python") == []


def test_a_jobset_the_worker_refuses_fails_with_the_reason(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    """The schema checks shapes; the worker's checks (the upstream webhook's) refuse the rest."""

    async def scenario() -> None:
        client = await connect(env, worker)
        js = jobset("py-refused")
        js["spec"]["successPolicy"] = {"operator": "All", "targetReplicatedJobs": ["nope"]}
        assert (await client.submit(js, namespace=namespace)).created
        with pytest.raises(JobSetFailedError, match=r"(?s)InvalidJobSet: invalid JobSet:.*spec\.successPolicy\.targetReplicatedJobs\[0\]") as failed:
            await client.wait(namespace, "py-refused", timeout=120)
        assert failed.value.status.terminalState == "Failed"
        info = await client.get(namespace, "py-refused")
        assert (info.state, info.job_set.metadata.name) == ("Failed", "py-refused")
        await client.delete(namespace, "py-refused")
        with pytest.raises(JobSetNotFoundError):
            await client.get(namespace, "py-refused")

    asyncio.run(scenario())


def test_a_terminated_run_reads_as_failed_and_can_be_deleted(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    """Issue 12 item 1: a workflow ended from outside (temporal workflow terminate) still reads as a
    finished JobSet, Failed with the reason, and its name can be deleted (its Jobs with it)."""

    async def scenario() -> None:
        client = await connect(env, worker)
        assert (await client.submit(jobset("py-term", duration="600s"), namespace=namespace)).created
        wait_for_jobs(env, namespace, "py-term", 1)
        await client.client.get_workflow_handle(f"jobset/{namespace}/py-term").terminate(reason="an operator ended it by hand")
        info = await client.get(namespace, "py-term")
        failed = [c for c in info.status.conditions or [] if c.type == "Failed"]
        assert (info.state, info.status.terminalState) == ("Failed", "Failed")
        assert failed[0].reason == "WorkflowTerminated"
        assert "an operator ended it by hand" in failed[0].message
        await client.delete(namespace, "py-term")
        with pytest.raises(JobSetNotFoundError):
            await client.get(namespace, "py-term")
        deadline = time.monotonic() + 60
        while env.jobs(namespace, "py-term") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert env.jobs(namespace, "py-term") == []

    asyncio.run(scenario())


def test_list_filters_by_namespace_labels_and_state_and_watch_follows_a_jobset_to_its_end(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    async def scenario() -> None:
        client = await connect(env, worker)
        quick = {**jobset("py-list-a", duration="3s"), "metadata": {"name": "py-list-a", "labels": {"team": "a"}}}
        slow = {**jobset("py-list-b", duration="10m"), "metadata": {"name": "py-list-b", "labels": {"team": "b"}}}
        await client.submit(quick, namespace=namespace)
        await client.submit(slow, namespace=namespace)

        changes = [status async for status in client.watch(namespace, "py-list-a", interval=0.2)]
        assert all(isinstance(s, JobSetStatus) for s in changes)
        assert changes[-1].terminalState == "Completed"
        assert len(changes) >= 2  # at least one running status before the final one

        names = lambda infos: [i.job_set.metadata.name for i in infos]  # noqa: E731
        assert names(await client.list(namespace)) == ["py-list-a", "py-list-b"]
        assert names(await client.list(namespace, label_selector="team=b")) == ["py-list-b"]
        assert names(await client.list(namespace, label_selector="team in (a,b),!legacy")) == ["py-list-a", "py-list-b"]
        assert names(await client.list(namespace, state="Completed")) == ["py-list-a"]
        assert names(await client.list(namespace, state="Running")) == ["py-list-b"]
        # Every namespace: runs of other task queues that no worker polls any more (earlier test
        # runs on this server) cannot be read, and are reported, not fatal.
        unreadable: list[str] = []
        everywhere = await client.list(on_unreadable=lambda wid, err: unreadable.append(wid))
        assert namespace in {i.job_set.metadata.namespace for i in everywhere}
        assert not any(wid.startswith(f"jobset/{namespace}/") for wid in unreadable)
        with pytest.raises(JobSetValidationError, match="unknown state"):
            await client.list(namespace, state="Sleeping")
        await client.delete(namespace, "py-list-b")
        assert names(await client.list(namespace)) == ["py-list-a"]

    asyncio.run(scenario())


def test_the_sync_client_runs_a_built_leader_workers_jobset(env: Environment, worker: WorkerProcess, namespace: str) -> None:
    """The synchronous facade (scripts, notebooks) and the leader + workers builder (no YAML)."""
    js = leader_workers("py-lw", image="busybox", workers=2, pod_annotations={"kwok-sim/run-duration": "1s"})
    assert isinstance(js, JobSet)
    with SyncJobSetClient.connect(env.address, task_queue=worker.task_queue) as client:
        submitted = client.submit(js, namespace=namespace)
        assert submitted.created
        statuses = list(client.watch(namespace, "py-lw", interval=0.2))
        assert statuses[-1].terminalState == "Completed"
        info = client.get(namespace, "py-lw")
        workers = info.job_set.spec.replicatedJobs[1]
        assert (workers.name, workers.template.spec.parallelism) == ("workers", 2)
        env_vars = {e["name"]: e.get("value") for e in workers.template.spec.template.spec.containers[0].env}
        assert env_vars["MASTER_ADDR"] == "py-lw-leader-0-0.py-lw"
        assert (env_vars["WORLD_SIZE"], env_vars["RANK_OFFSET"]) == ("3", "1")
        assert sorted(env.jobs(namespace, "py-lw")) == ["job.batch/py-lw-leader-0", "job.batch/py-lw-workers-0"]
        client.delete(namespace, "py-lw")
