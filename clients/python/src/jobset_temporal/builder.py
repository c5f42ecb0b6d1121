"""Builders of the common JobSet shapes, so a pipeline can write a JobSet without YAML.

    js = leader_workers("train", image="pytorch/pytorch:2.5", workers=3, command=["torchrun", "train.py"])
    await jobsets.submit(js, namespace="team-a")

Every pod finds the leader through the JobSet's headless Service: the leader's pod is
``<name>-leader-0-0.<name>`` (pod hostname ``<jobset>-<replicatedJob>-<jobIndex>-<podIndex>``
under the subdomain named after the JobSet, as upstream JobSet names them).
"""

from __future__ import annotations

from typing import Any

from .models import JobSet


def leader_workers(
    name: str,
    image: str,
    workers: int,
    command: list[str] | None = None,
    port: int = 29500,
    env: dict[str, str] | None = None,
    namespace: str | None = None,
    max_restarts: int = 0,
    pod_annotations: dict[str, str] | None = None,
) -> JobSet:
    """A leader Job of one pod and a workers Job of ``workers`` pods (Indexed), all running
    ``image`` with ``command``. Each pod's environment: MASTER_ADDR and MASTER_PORT (the leader),
    WORLD_SIZE (the number of pods), JOB_COMPLETION_INDEX (the pod's index in its Job) and
    RANK_OFFSET (0 for the leader, 1 for the workers): a pod's rank is
    ``RANK_OFFSET + JOB_COMPLETION_INDEX``. ``max_restarts`` restarts the whole JobSet that many
    times when a Job fails."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    base_env = {"MASTER_ADDR": f"{name}-leader-0-0.{name}", "MASTER_PORT": str(port), "WORLD_SIZE": str(workers + 1), **(env or {})}

    index = {"valueFrom": {"fieldRef": {"fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}

    def replicated_job(rjob: str, pods: int, rank_offset: int) -> dict[str, Any]:
        variables = {**base_env, "RANK_OFFSET": str(rank_offset)}
        container: dict[str, Any] = {
            "name": rjob,
            "image": image,
            "env": [*({"name": k, "value": v} for k, v in variables.items()), {"name": "JOB_COMPLETION_INDEX", **index}],
        }
        if command:
            container["command"] = command
        template: dict[str, Any] = {"spec": {"restartPolicy": "Never", "containers": [container]}}
        if pod_annotations:
            template["metadata"] = {"annotations": pod_annotations}
        return {"name": rjob, "replicas": 1, "template": {"spec": {"parallelism": pods, "completions": pods, "backoffLimit": 0, "template": template}}}

    js: dict[str, Any] = {
        "apiVersion": "jobset.x-k8s.io/v1alpha2",
        "kind": "JobSet",
        "metadata": {"name": name, **({"namespace": namespace} if namespace else {})},
        "spec": {
            "replicatedJobs": [
                replicated_job("leader", 1, 0),
                replicated_job("workers", workers, 1),
            ],
            **({"failurePolicy": {"maxRestarts": max_restarts}} if max_restarts else {}),
        },
    }
    return JobSet.model_validate(js)
