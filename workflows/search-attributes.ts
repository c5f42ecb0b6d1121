// Custom search attributes of JobSet workflows (registered by deploy/local/temporal.sh), so the
// Temporal UI and `temporal workflow list --query 'JobSetState="Failed"'` can find JobSets.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const JobSetNamespaceKey = defineSearchAttributeKey('JobSetNamespace', SearchAttributeType.KEYWORD);
export const JobSetNameKey = defineSearchAttributeKey('JobSetName', SearchAttributeType.KEYWORD);
export const JobSetStateKey = defineSearchAttributeKey('JobSetState', SearchAttributeType.KEYWORD);
export const JobSetRestartsKey = defineSearchAttributeKey('JobSetRestarts', SearchAttributeType.INT);
