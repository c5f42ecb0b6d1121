"""The JobSet client: JobSets run by jobset-temporal, reached through the temporalio SDK.

One JobSet = one workflow of type ``jobSetWorkflow`` under the ID ``jobset/<namespace>/<name>``,
hosted by the TypeScript worker. Its queries ``status`` and ``jobSet`` give the upstream status
object and the JobSet; its updates ``suspend`` and ``resume`` change it. The latest run under the
ID tells whether the JobSet exists: a cancelled ``jobSetWorkflow`` run or a
``jobSetCleanupWorkflow`` run means it was deleted.
"""

from __future__ import annotations

import asyncio
import copy
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import AsyncIterator, Callable
from typing import Any

from pydantic import BaseModel

from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.api.common.v1 import WorkflowExecution as WorkflowExecutionRef
from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryRequest
from temporalio.exceptions import ApplicationError, TerminatedError, WorkflowAlreadyStartedError
from temporalio.exceptions import TimeoutError as TemporalTimeoutError
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from . import _contract as contract
from .errors import (
    FieldIssue,
    JobSetConditionUnreachableError,
    JobSetConflictError,
    JobSetFailedError,
    JobSetNotFoundError,
    JobSetUpdateRejectedError,
    JobSetValidationError,
    JobSetWaitTimeoutError,
)
from .models import JobSet, JobSetStatus
from .schema import format_path, load_jobset, validate_jobset
from .selector import matches_labels, parse_label_selector

WORKFLOW_TYPE = contract.WORKFLOW_TYPE_JOBSET
CLEANUP_WORKFLOW_TYPE = contract.WORKFLOW_TYPE_CLEANUP
DEFAULT_TASK_QUEUE = "jobset"
DEFAULT_NAMESPACE = "default"

_NAMESPACE_KEY = SearchAttributeKey.for_keyword(contract.SEARCH_ATTRIBUTE_NAMESPACE)
_NAME_KEY = SearchAttributeKey.for_keyword(contract.SEARCH_ATTRIBUTE_NAME)
_STATE_KEY = SearchAttributeKey.for_keyword(contract.SEARCH_ATTRIBUTE_STATE)

STATES = ("Running", "Restarting", "Suspended", "Completed", "Failed")

# Every closed run is read from its history: completed and failed runs end with the finished
# JobSet (spec and final status) in their close event; a run ended from outside (terminated, timed
# out) is read from its start event and shows as Failed with the reason.
_READS_FROM_HISTORY = {
    WorkflowExecutionStatus.COMPLETED,
    WorkflowExecutionStatus.FAILED,
    WorkflowExecutionStatus.TERMINATED,
    WorkflowExecutionStatus.TIMED_OUT,
}

# Failed reasons of a JobSet whose workflow ended without finishing it (src/api/constants.ts RunEndedReason).
_RUN_TERMINATED = "WorkflowTerminated"
_RUN_TIMED_OUT = "WorkflowTimedOut"
_RUN_FAILED = "WorkflowFailed"

# Pod-template fields a resume request may change (the Kueue contract), per replicated job.
_RESUME_FIELDS = {"labels", "annotations", "nodeSelector", "tolerations", "schedulingGates"}


workflow_id = contract.workflow_id


def _is_true(status: dict[str, Any], condition: str) -> bool:
    return any(c.get("type") == condition and c.get("status") == "True" for c in status.get("conditions") or [])


def job_set_state(job_set: JobSet | dict[str, Any], status: JobSetStatus | dict[str, Any]) -> str:
    """Running, Restarting, Suspended, Completed or Failed (as src/core/state.ts derives it)."""
    job_set, status = _plain(job_set), _plain(status)
    if status.get("terminalState") == "Completed" or _is_true(status, "Completed"):
        return "Completed"
    if status.get("terminalState") == "Failed" or _is_true(status, "Failed"):
        return "Failed"
    if (job_set.get("spec") or {}).get("suspend") is True:
        return "Suspended"
    if _is_true(status, "RestartingJobSet"):
        return "Restarting"
    return "Running"


def _plain(value: BaseModel | dict[str, Any]) -> dict[str, Any]:
    """A model as the JSON object it stands for (fields never set left out); a dict as it is."""
    return value.model_dump(mode="json", exclude_none=True) if isinstance(value, BaseModel) else value


def _finished(status: dict[str, Any]) -> bool:
    return status.get("terminalState") in ("Completed", "Failed")


def _reached(status: dict[str, Any], condition: str) -> bool:
    if condition in ("Completed", "Failed"):
        return status.get("terminalState") == condition or _is_true(status, condition)
    return _is_true(status, condition)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _differences(submitted: Any, existing: Any, at: tuple[Any, ...] = ()) -> list[str]:
    """Paths where the submitted JobSet differs from the one the workflow runs.

    The workflow's copy has every default applied, so a field the submission leaves out (or
    leaves empty) is not a difference; every field it does give must be equal.
    """
    if _empty(submitted):
        return []
    if isinstance(submitted, dict):
        if not isinstance(existing, dict):
            return [format_path(at)]
        return [p for key, value in submitted.items() for p in _differences(value, existing.get(key), (*at, key))]
    if isinstance(submitted, list):
        if not isinstance(existing, list) or len(existing) != len(submitted):
            return [format_path(at)]
        return [p for i, (a, b) in enumerate(zip(submitted, existing)) for p in _differences(a, b, (*at, i))]
    # bool is an int in Python: compare booleans by identity so that True never equals 1.
    same = submitted is existing if isinstance(submitted, bool) or isinstance(existing, bool) else submitted == existing
    return [] if same else [format_path(at)]


def _comparable(job_set: dict[str, Any]) -> dict[str, Any]:
    js = {k: v for k, v in job_set.items() if k != "status"}
    js["metadata"] = {k: v for k, v in (js.get("metadata") or {}).items() if k not in ("uid", "creationTimestamp", "resourceVersion", "generation", "managedFields")}
    return js


def start_summary(job_set: dict[str, Any]) -> str:
    """The Web UI's summary of a JobSet's workflow: ``<namespace>/<name>: N Jobs in M replicatedJobs``
    (as src/core/summary.ts writes it)."""
    rjobs = (job_set.get("spec") or {}).get("replicatedJobs") or []
    jobs = sum(r.get("replicas", 1) for r in rjobs)
    meta = job_set.get("metadata") or {}
    plural = lambda n, one: f"{n} {one}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{meta.get('namespace')}/{meta.get('name')}: {plural(jobs, 'Job')} in {plural(len(rjobs), 'replicatedJob')}"


def _generated_name(prefix: str) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(5))


@dataclass
class JobSetInfo:
    """What ``get`` and ``list`` return: the JobSet as its workflow runs it (every default applied),
    its status, and where it runs."""

    job_set: JobSet
    status: JobSetStatus
    state: str
    workflow_id: str
    run_id: str
    closed: bool
    execution_status: str


@dataclass
class SubmitResult:
    job_set: JobSet
    workflow_id: str
    run_id: str
    created: bool
    """False when the same JobSet already existed and nothing was started."""


class JobSetClient:
    """Submit and manage JobSets through a connected temporalio ``Client``."""

    def __init__(self, client: Client, task_queue: str = DEFAULT_TASK_QUEUE, default_namespace: str = DEFAULT_NAMESPACE) -> None:
        self.client = client
        self.task_queue = task_queue
        self.default_namespace = default_namespace

    @classmethod
    async def connect(
        cls,
        address: str = "127.0.0.1:7233",
        namespace: str = "default",
        task_queue: str = DEFAULT_TASK_QUEUE,
        tls: bool | TLSConfig = False,
        default_namespace: str = DEFAULT_NAMESPACE,
    ) -> "JobSetClient":
        """Connects to Temporal. ``namespace`` is the Temporal namespace; ``default_namespace`` the
        Kubernetes namespace of submitted JobSets that name none."""
        client = await Client.connect(address, namespace=namespace, tls=tls)
        return cls(client, task_queue=task_queue, default_namespace=default_namespace)

    # -- submit ------------------------------------------------------------------------------

    def prepare(self, source: JobSet | dict[str, Any] | str, namespace: str | None = None) -> JobSet:
        """The JobSet as ``submit`` sends it: checked against the schema, with its namespace, a name
        for ``generateName``, a fresh ``metadata.uid`` and a ``creationTimestamp``. Offline.

        ``source`` is a ``JobSet`` model (``jobset_temporal.models``, or from ``leader_workers``),
        a dict, or YAML/JSON text.

        Raises:
            JobSetValidationError: listing every problem with its field path.
        """
        return JobSet.model_validate(self._prepare(source, namespace))

    def _prepare(self, source: JobSet | dict[str, Any] | str, namespace: str | None) -> dict[str, Any]:
        js = copy.deepcopy(load_jobset(_plain(source) if isinstance(source, BaseModel) else source))
        js.pop("status", None)
        meta = js.setdefault("metadata", {})
        if meta.get("namespace") and namespace and meta["namespace"] != namespace:
            raise JobSetValidationError(
                [FieldIssue("metadata.namespace", f'the JobSet names namespace "{meta["namespace"]}", which does not match "{namespace}"')]
            )
        meta["namespace"] = meta.get("namespace") or namespace or self.default_namespace
        if not meta.get("name"):
            if not meta.get("generateName"):
                raise JobSetValidationError([FieldIssue("metadata.name", "name or generateName is required")])
            meta["name"] = _generated_name(meta["generateName"])
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        validate_jobset(js)
        return js

    async def submit(self, source: JobSet | dict[str, Any] | str, namespace: str | None = None) -> SubmitResult:
        """Checks the JobSet locally, then starts its workflow.

        Idempotent: when the JobSet exists (running or finished) with the same spec, nothing is
        started and ``created`` is False.

        Raises:
            JobSetValidationError: the JobSet is invalid; nothing was started.
            JobSetConflictError: a JobSet of that name exists with a different spec.
        """
        js = self._prepare(source, namespace)
        ns, name = js["metadata"]["namespace"], js["metadata"]["name"]
        wid = workflow_id(ns, name)
        for attempt in range(4):
            latest = await self._describe(wid)
            if latest is not None and latest.status == WorkflowExecutionStatus.RUNNING and latest.workflow_type == CLEANUP_WORKFLOW_TYPE:
                await self._await_end(self.client.get_workflow_handle(wid, run_id=latest.run_id))
                continue
            if latest is not None and not self._deleted(latest):
                info = await self._read_run(latest)
                diff = _differences(_comparable(js), _plain(info.job_set))
                if diff:
                    raise JobSetConflictError(ns, name, diff)
                return SubmitResult(job_set=info.job_set, workflow_id=wid, run_id=info.run_id, created=False)
            try:
                handle = await self.client.start_workflow(
                    WORKFLOW_TYPE,
                    {"jobSet": js},
                    id=wid,
                    task_queue=self.task_queue,
                    search_attributes=TypedSearchAttributes(
                        [
                            SearchAttributePair(_NAMESPACE_KEY, ns),
                            SearchAttributePair(_NAME_KEY, name),
                            SearchAttributePair(_STATE_KEY, "Suspended" if (js.get("spec") or {}).get("suspend") else "Running"),
                        ]
                    ),
                    static_summary=start_summary(js),
                )
                return SubmitResult(job_set=JobSet.model_validate(js), workflow_id=wid, run_id=handle.first_execution_run_id or handle.result_run_id or "", created=True)
            except WorkflowAlreadyStartedError:
                if attempt >= 3:
                    raise
        raise RuntimeError("unreachable")

    # -- get, wait ---------------------------------------------------------------------------

    async def get(self, namespace: str, name: str) -> JobSetInfo:
        """The JobSet and its status, from its workflow's queries.

        Raises:
            JobSetNotFoundError: there is no such JobSet (or it was deleted).
        """
        latest = await self._describe(workflow_id(namespace, name))
        if latest is None or self._deleted(latest):
            raise JobSetNotFoundError(namespace, name)
        return await self._read_run(latest)

    async def list(
        self,
        namespace: str | None = None,
        label_selector: str = "",
        state: str | None = None,
        on_unreadable: Callable[[str, Exception], None] | None = None,
    ) -> list[JobSetInfo]:
        """The JobSets of ``namespace`` (None: every namespace), sorted by namespace and name.

        ``label_selector`` keeps those whose labels match it (kubectl's ``-l``: ``team=a,tier!=dev``,
        ``env in (prod,staging)``, ``!legacy``); ``state`` those in that state (Running, Restarting, Suspended, Completed or Failed). A running
        JobSet is read through its workflow's queries, which a worker of its task queue answers:
        one that cannot be read (no worker) is passed to ``on_unreadable(workflow_id, error)`` and
        left out, or, without that callback, raises.

        Raises:
            JobSetValidationError: ``state`` is not a state, or the selector is malformed.
            RPCError, WorkflowQueryFailedError: a JobSet could not be read and no ``on_unreadable`` was given.
        """
        requirements = parse_label_selector(label_selector)
        if state is not None and state not in STATES:
            raise JobSetValidationError([FieldIssue("state", f'unknown state "{state}": one of {", ".join(STATES)}')], subject="list request")
        quote = lambda v: "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"  # noqa: E731
        # Cleanup runs are listed too: they mark an earlier run under the same ID as deleted.
        clauses = [f"WorkflowType IN ({quote(WORKFLOW_TYPE)}, {quote(CLEANUP_WORKFLOW_TYPE)})", "ExecutionStatus != 'ContinuedAsNew'"]
        if namespace:
            clauses.append(f"{contract.SEARCH_ATTRIBUTE_NAMESPACE} = {quote(namespace)}")
        newest: dict[str, Any] = {}
        async for run in self.client.list_workflows(" AND ".join(clauses)):
            seen = newest.get(run.id)
            if seen is None or run.start_time > seen.start_time:
                newest[run.id] = run
        # Eight reads at a time, like the TypeScript SDK: each is a describe and a query or a
        # history read.
        limit = asyncio.Semaphore(8)

        async def read(run: Any) -> JobSetInfo | None:
            async with limit:
                try:
                    # The listing already says what the read needs (IDs, type, status, close time).
                    return await self._read_run(run)
                except (RPCError, WorkflowQueryFailedError) as e:
                    if isinstance(e, RPCError) and e.status == RPCStatusCode.NOT_FOUND:
                        return None  # deleted between the listing and the read
                    if on_unreadable is None:
                        raise
                    on_unreadable(run.id, e)
                    return None

        read_all = await asyncio.gather(*(read(run) for run in newest.values() if not self._deleted(run)))
        infos = [
            info
            for info in read_all
            if info is not None
            and (state is None or info.state == state)
            and matches_labels(requirements, info.job_set.metadata.labels)
        ]
        return sorted(infos, key=lambda i: (i.job_set.metadata.namespace or "", i.job_set.metadata.name or ""))

    async def watch(self, namespace: str, name: str, interval: float = 1.0) -> AsyncIterator[JobSetStatus]:
        """Yields the JobSet's status now and at each change, until it completes or fails.

        Raises:
            JobSetNotFoundError: it does not exist or is deleted meanwhile.
        """
        last: dict[str, Any] | None = None
        while True:
            info = await self.get(namespace, name)
            status = _plain(info.status)
            if status != last:
                last = status
                yield info.status
            if _finished(status) or info.closed:
                return
            await asyncio.sleep(interval)

    async def wait(self, namespace: str, name: str, for_: str = "Completed", timeout: float | None = None, interval: float = 1.0) -> JobSetStatus:
        """Waits until the JobSet has condition ``for_`` (Completed, Failed, Suspended or any other type).

        Returns the status. ``timeout`` is in seconds (None = no limit).

        Raises:
            JobSetFailedError: it failed (unless waiting for Failed).
            JobSetConditionUnreachableError: it finished otherwise without the condition.
            JobSetWaitTimeoutError: the timeout passed first.
            JobSetNotFoundError: it does not exist or was deleted meanwhile.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        last: JobSetStatus | None = None
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise JobSetWaitTimeoutError(namespace, name, for_, timeout or 0, last)
            try:
                info = await asyncio.wait_for(self.get(namespace, name), remaining)
            except asyncio.TimeoutError:
                raise JobSetWaitTimeoutError(namespace, name, for_, timeout or 0, last) from None
            last = info.status
            status = _plain(info.status)
            if _reached(status, for_):
                return info.status
            if _finished(status) or info.closed:
                if status.get("terminalState") == "Failed":
                    raise JobSetFailedError(namespace, name, info.status)
                raise JobSetConditionUnreachableError(namespace, name, for_, info.status)
            pause = interval if deadline is None else max(0.0, min(interval, deadline - time.monotonic()))
            await asyncio.sleep(pause)

    # -- suspend, resume, delete -------------------------------------------------------------

    async def suspend(self, namespace: str, name: str) -> JobSetStatus:
        """Suspends the JobSet; returns its status.

        Raises:
            JobSetNotFoundError, JobSetUpdateRejectedError (the JobSet has finished).
        """
        handle = await self._running_handle(namespace, name, contract.UPDATE_SUSPEND)
        return await self._update(handle, namespace, name, contract.UPDATE_SUSPEND, {})

    async def resume(self, namespace: str, name: str, request: dict[str, Any] | None = None) -> JobSetStatus:
        """Resumes the JobSet, optionally changing pod-template scheduling fields first:
        ``{"podTemplates": {"<rjob>": {"labels"|"annotations"|"nodeSelector"|"tolerations"|"schedulingGates": ...}}}``.

        Raises:
            JobSetValidationError (bad request, checked locally), JobSetNotFoundError, JobSetUpdateRejectedError.
        """
        request = request or {}
        handle = await self._running_handle(namespace, name, contract.UPDATE_RESUME)
        job_set = await handle.query(contract.QUERY_JOBSET)
        self._check_resume(job_set, request)
        return await self._update(handle, namespace, name, contract.UPDATE_RESUME, request)

    async def delete(self, namespace: str, name: str) -> None:
        """Deletes the JobSet and waits until its child objects are gone.

        A running workflow is cancelled (its cleanup deletes the children); a finished one gets a
        cleanup run under the same workflow ID.

        Raises:
            JobSetNotFoundError: there is no such JobSet.
        """
        wid = workflow_id(namespace, name)
        for attempt in range(4):
            latest = await self._describe(wid)
            if latest is None:
                raise JobSetNotFoundError(namespace, name)
            if latest.workflow_type == CLEANUP_WORKFLOW_TYPE:
                if latest.status != WorkflowExecutionStatus.RUNNING:
                    raise JobSetNotFoundError(namespace, name)
                await self._await_end(self.client.get_workflow_handle(wid, run_id=latest.run_id))
                return
            if latest.status == WorkflowExecutionStatus.CANCELED:
                raise JobSetNotFoundError(namespace, name)
            if latest.status == WorkflowExecutionStatus.RUNNING:
                handle = self.client.get_workflow_handle(wid)
                await handle.cancel()
                await self._await_end(handle)
                after = await self._describe(wid)
                if after is None or self._deleted(after):
                    return
                continue  # it finished just before the cancel arrived: clean up as for a finished one
            info = await self._read_run(latest)
            try:
                cleanup = await self.client.start_workflow(
                    CLEANUP_WORKFLOW_TYPE,
                    {"jobSet": _plain(info.job_set)},
                    id=wid,
                    task_queue=self.task_queue,
                    search_attributes=TypedSearchAttributes([SearchAttributePair(_NAMESPACE_KEY, namespace), SearchAttributePair(_NAME_KEY, name)]),
                    static_summary=f"delete JobSet {namespace}/{name}",
                )
                await cleanup.result()
                return
            except WorkflowAlreadyStartedError:
                if attempt >= 3:
                    raise
        raise RuntimeError(f"JobSet {namespace}/{name} could not be deleted")

    # -- internals ---------------------------------------------------------------------------

    async def _describe(self, wid: str) -> WorkflowExecutionDescription | None:
        try:
            return await self.client.get_workflow_handle(wid).describe()
        except RPCError as e:
            if e.status == RPCStatusCode.NOT_FOUND:
                return None
            raise

    @staticmethod
    def _deleted(run: WorkflowExecution) -> bool:
        return run.workflow_type == CLEANUP_WORKFLOW_TYPE or (run.workflow_type == WORKFLOW_TYPE and run.status == WorkflowExecutionStatus.CANCELED)

    async def _read_run(self, run: WorkflowExecution) -> JobSetInfo:
        """Spec and status of one run: a finished run (Completed or Failed JobSet) from the close
        event in its history, so no worker is needed; any other run through its queries."""
        handle = self.client.get_workflow_handle(run.id, run_id=run.run_id)
        found = await self._finished_run(handle, run) if run.status in _READS_FROM_HISTORY else None
        if found is not None:
            job_set, status = found
        else:
            job_set, status, run = await self._query_run(handle, run)
        job_set = {k: v for k, v in job_set.items() if k != "status"}
        return JobSetInfo(
            job_set=JobSet.model_validate(job_set),
            status=JobSetStatus.model_validate(status),
            state=job_set_state(job_set, status),
            workflow_id=run.id,
            run_id=run.run_id,
            closed=run.status != WorkflowExecutionStatus.RUNNING,
            execution_status=run.status.name if run.status is not None else "UNKNOWN",
        )

    async def _finished_run(self, handle: WorkflowHandle[Any, Any], run: WorkflowExecution) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The finished JobSet a completed or failed run returned (or carries as its failure's
        detail), or None when the close event holds something else (the caller then queries)."""
        try:
            finished = await handle.result(follow_runs=False)
        except WorkflowFailureError as e:
            cause = e.cause
            if isinstance(cause, ApplicationError) and cause.type == contract.FAILURE_INVALID_JOBSET:
                return await self._ended_run(handle, contract.FAILURE_INVALID_JOBSET, cause.message, run.close_time)
            if isinstance(cause, ApplicationError) and cause.type == contract.FAILURE_JOBSET_FAILED:
                finished = cause.details[0] if cause.details else None
            else:
                # Ended from outside, or by an error of the workflow itself: the JobSet reads as Failed.
                reason = _RUN_TERMINATED if isinstance(cause, TerminatedError) else _RUN_TIMED_OUT if isinstance(cause, TemporalTimeoutError) else _RUN_FAILED
                return await self._ended_run(handle, reason, str(cause or e), run.close_time)
        if isinstance(finished, dict) and isinstance(finished.get("status"), dict) and "spec" in finished:
            return finished, finished["status"]
        return None

    async def _query_run(self, handle: WorkflowHandle[Any, Any], run: WorkflowExecution) -> tuple[dict[str, Any], dict[str, Any], WorkflowExecution]:
        """Spec and status through the run's queries (a worker of its task queue answers them)."""
        for attempt in range(20):
            try:
                job_set, status = await asyncio.gather(handle.query(contract.QUERY_JOBSET), handle.query(contract.QUERY_STATUS))
                return job_set, status, run
            except WorkflowQueryFailedError:
                # No query handlers: the run is refusing its JobSet (it fails in its first task).
                run = await handle.describe()
                if run.status == WorkflowExecutionStatus.FAILED:
                    found = await self._finished_run(handle, run)
                    if found is not None:
                        return found[0], found[1], run
                if run.status != WorkflowExecutionStatus.RUNNING or attempt == 19:
                    raise
                await asyncio.sleep(0.25)
        raise AssertionError("unreachable")

    async def _ended_run(self, handle: WorkflowHandle[Any, Any], reason: str, message: str, close_time: datetime | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """A run that ended without a finished JobSet (it refused the JobSet, or was terminated,
        timed out or failed): the JobSet and status from its start event, marked Failed with the reason."""
        first = await self.client.workflow_service.get_workflow_execution_history(
            GetWorkflowExecutionHistoryRequest(
                namespace=self.client.namespace,
                execution=WorkflowExecutionRef(workflow_id=handle.id, run_id=handle.run_id or ""),
                maximum_page_size=1,
            )
        )
        started = first.history.events[0].workflow_execution_started_event_attributes
        decoded = await self.client.data_converter.decode(started.input.payloads) if started.input.payloads else []
        run_input = (decoded[0] or {}) if decoded else {}
        job_set = run_input.get("jobSet", {})
        base = run_input.get("status") or {"conditions": [], "restarts": 0, "restartsCountTowardsMax": 0, "replicatedJobsStatus": []}
        closed = (close_time or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        conditions = [c for c in base.get("conditions") or [] if c.get("type") != "Failed"]
        conditions.append({"type": "Failed", "status": "True", "reason": reason, "message": message, "lastTransitionTime": closed})
        return job_set, {**base, "conditions": conditions, "terminalState": "Failed"}

    async def _running_handle(self, namespace: str, name: str, update: str) -> WorkflowHandle[Any, Any]:
        wid = workflow_id(namespace, name)
        latest = await self._describe(wid)
        if latest is None or self._deleted(latest):
            raise JobSetNotFoundError(namespace, name)
        if latest.status != WorkflowExecutionStatus.RUNNING:
            info = await self._read_run(latest)
            raise JobSetUpdateRejectedError(namespace, name, update, f"the JobSet is finished ({info.status.terminalState or info.execution_status})")
        return self.client.get_workflow_handle(wid)

    async def _update(self, handle: WorkflowHandle[Any, Any], namespace: str, name: str, update: str, arg: dict[str, Any]) -> JobSetStatus:
        try:
            return JobSetStatus.model_validate(await handle.execute_update(update, arg))
        except WorkflowUpdateFailedError as e:
            raise JobSetUpdateRejectedError(namespace, name, update, str(e.cause) if e.cause else str(e)) from e

    @staticmethod
    def _check_resume(job_set: dict[str, Any], request: dict[str, Any]) -> None:
        issues: list[FieldIssue] = []
        if not isinstance(request, dict):
            raise JobSetValidationError([FieldIssue("(root)", "a resume request is an object")], subject="resume request")
        for key in request:
            if key != "podTemplates":
                issues.append(FieldIssue(key, f'unknown field "{key}"'))
        names = {r.get("name") for r in (job_set.get("spec") or {}).get("replicatedJobs") or []}
        for rjob, patch in (request.get("podTemplates") or {}).items():
            if rjob not in names:
                issues.append(FieldIssue(f"podTemplates[{rjob}]", f'replicatedJob "{rjob}" is not in spec.replicatedJobs'))
            elif not isinstance(patch, dict):
                issues.append(FieldIssue(f"podTemplates[{rjob}]", "expected an object"))
            else:
                for field in patch:
                    if field not in _RESUME_FIELDS:
                        issues.append(FieldIssue(f"podTemplates[{rjob}].{field}", f'unknown field "{field}"'))
        if issues:
            raise JobSetValidationError(issues, subject="resume request")

    @staticmethod
    async def _await_end(handle: WorkflowHandle[Any, Any]) -> None:
        try:
            await handle.result()
        except WorkflowFailureError:
            pass
