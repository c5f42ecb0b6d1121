"""The JobSet workflow contract (workflow types, IDs, messages, keys, failure types).

Generated from workflows/contract.ts by `npm run gen:contract`; do not edit.
"""

WORKFLOW_TYPE_JOBSET = "jobSetWorkflow"
WORKFLOW_TYPE_CLEANUP = "jobSetCleanupWorkflow"
WORKFLOW_ID_PREFIX = "jobset/"
MEMO_RESOURCE_UID = "jobset-temporal.io/resource-uid"
SEARCH_ATTRIBUTE_NAMESPACE = "JobSetNamespace"
SEARCH_ATTRIBUTE_NAME = "JobSetName"
SEARCH_ATTRIBUTE_STATE = "JobSetState"
SEARCH_ATTRIBUTE_RESTARTS = "JobSetRestarts"
QUERY_STATUS = "status"
QUERY_JOBSET = "jobSet"
UPDATE_SUSPEND = "suspend"
UPDATE_RESUME = "resume"
UPDATE_ADMITTED = "admitted"
SIGNAL_CHILDREN_CHANGED = "childrenChanged"
FAILURE_INVALID_JOBSET = "InvalidJobSet"
FAILURE_JOBSET_FAILED = "JobSetFailed"
FAILURE_OWNER_DELETED = "JobSetResourceDeleted"


def workflow_id(namespace: str, name: str) -> str:
    """The workflow ID of a JobSet: one live workflow per namespace/name."""
    return f"{WORKFLOW_ID_PREFIX}{namespace}/{name}"
