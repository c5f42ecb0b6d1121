"""Errors of the Python SDK, named like the TypeScript SDK's (src/client/errors.ts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .models import JobSetStatus


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one field: ``path`` as written in the YAML (``spec.replicatedJobs[0].replicas``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class JobSetError(Exception):
    """Base class of every error this package raises on purpose."""


class JobSetValidationError(JobSetError):
    """Raised by ``submit`` before anything is sent when the JobSet does not match the schema.

    ``issues`` lists every problem found, each with its field path.
    """

    def __init__(self, issues: Sequence[FieldIssue], subject: str = "JobSet") -> None:
        self.issues = list(issues)
        lines = "\n".join(f"  - {i}" for i in self.issues)
        super().__init__(f"{subject} is invalid ({len(self.issues)} error{'s' if len(self.issues) != 1 else ''}):\n{lines}")


class JobSetNotFoundError(JobSetError):
    """Raised when no JobSet of that namespace and name exists (never submitted, or deleted)."""

    def __init__(self, namespace: str, name: str) -> None:
        self.namespace = namespace
        self.name = name
        super().__init__(f"JobSet {namespace}/{name} not found")


class JobSetConflictError(JobSetError):
    """Raised by ``submit`` when a JobSet of that name exists with a different spec; delete it first."""

    def __init__(self, namespace: str, name: str, differences: Sequence[str]) -> None:
        self.namespace = namespace
        self.name = name
        self.differences = list(differences)
        shown = ", ".join(self.differences[:5]) + (", ..." if len(self.differences) > 5 else "")
        super().__init__(
            f"JobSet {namespace}/{name} already exists with a different spec (differs at {shown}); "
            f"delete it first: jobset delete {name} -n {namespace}"
        )


class JobSetFailedError(JobSetError):
    """Raised by ``wait`` when the JobSet failed while waiting for it to complete. ``status`` is the final status."""

    def __init__(self, namespace: str, name: str, status: JobSetStatus) -> None:
        self.namespace = namespace
        self.name = name
        self.status = status
        failed = next((c for c in status.conditions or [] if c.type == "Failed" and c.status == "True"), None)
        why = f": {failed.reason}: {failed.message}" if failed else ""
        super().__init__(f"JobSet {namespace}/{name} failed{why}")


class JobSetConditionUnreachableError(JobSetError):
    """Raised by ``wait`` when the JobSet finished without the awaited condition (e.g. Completed while waiting for Failed)."""

    def __init__(self, namespace: str, name: str, condition: str, status: JobSetStatus) -> None:
        self.namespace = namespace
        self.name = name
        self.condition = condition
        self.status = status
        super().__init__(f"JobSet {namespace}/{name} finished ({status.terminalState or 'closed'}) without condition {condition}")


class JobSetWaitTimeoutError(JobSetError):
    """Raised by ``wait`` when the timeout passes first. ``status`` is the last status seen, if any."""

    def __init__(self, namespace: str, name: str, condition: str, timeout: float, status: JobSetStatus | None) -> None:
        self.namespace = namespace
        self.name = name
        self.condition = condition
        self.timeout = timeout
        self.status = status
        super().__init__(f"timed out after {timeout:g} s waiting for JobSet {namespace}/{name} to be {condition}")


class JobSetUpdateRejectedError(JobSetError):
    """Raised by ``suspend``/``resume`` when the JobSet has finished or the workflow refused the request."""

    def __init__(self, namespace: str, name: str, update: str, reason: str) -> None:
        self.namespace = namespace
        self.name = name
        self.update = update
        super().__init__(f"{update} of JobSet {namespace}/{name} rejected: {reason}")
