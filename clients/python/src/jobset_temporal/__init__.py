"""Python SDK of jobset-temporal: submit and manage Kubernetes JobSets that run as Temporal workflows.

    from jobset_temporal import JobSetClient, run_and_exit

    async def main() -> int:
        jobsets = await JobSetClient.connect("127.0.0.1:7233")
        await jobsets.submit(open("examples/simple/pytorch.yaml").read())
        status = await jobsets.wait("default", "pytorch", for_="Completed", timeout=300)
        print(status.terminalState)
        return 0

    run_and_exit(main())
"""

from ._exit import run_and_exit
from .builder import leader_workers
from .client import (
    CLEANUP_WORKFLOW_TYPE,
    DEFAULT_NAMESPACE,
    DEFAULT_TASK_QUEUE,
    STATES,
    WORKFLOW_TYPE,
    JobSetClient,
    JobSetInfo,
    SubmitResult,
    job_set_state,
    start_summary,
    workflow_id,
)
from .errors import (
    FieldIssue,
    JobSetConditionUnreachableError,
    JobSetConflictError,
    JobSetError,
    JobSetFailedError,
    JobSetNotFoundError,
    JobSetUpdateRejectedError,
    JobSetValidationError,
    JobSetWaitTimeoutError,
)
from .models import Condition, JobSet, JobSetSpec, JobSetStatus, ReplicatedJob, ReplicatedJobStatus
from .schema import format_path, json_schema, load_jobset, validate_jobset
from .sync import SyncJobSetClient

__all__ = [
    "CLEANUP_WORKFLOW_TYPE",
    "DEFAULT_NAMESPACE",
    "DEFAULT_TASK_QUEUE",
    "STATES",
    "WORKFLOW_TYPE",
    "Condition",
    "FieldIssue",
    "JobSetClient",
    "JobSetConditionUnreachableError",
    "JobSetConflictError",
    "JobSetError",
    "JobSetFailedError",
    "JobSet",
    "JobSetInfo",
    "JobSetNotFoundError",
    "JobSetSpec",
    "JobSetStatus",
    "JobSetUpdateRejectedError",
    "JobSetValidationError",
    "JobSetWaitTimeoutError",
    "ReplicatedJob",
    "ReplicatedJobStatus",
    "SubmitResult",
    "SyncJobSetClient",
    "format_path",
    "job_set_state",
    "json_schema",
    "leader_workers",
    "load_jobset",
    "run_and_exit",
    "start_summary",
    "validate_jobset",
    "workflow_id",
]
