// Create validation: every check the upstream admission chain makes on a new JobSet (API-server
// object meta and list-map keys, CRD CEL rules, the validating webhook; docs/design.md §2.2,
// §2.3), in that order. It takes the parsed, defaulted object: schema-level checks (types, enums,
// ranges, unknown fields) are the zod schema's job and already passed.
import type { FieldIssue } from './errors.js';
import { validateLimits } from './limits.js';
import type { JobSet } from './schema.js';
import { validateManagedBy, validateMetadata, validateReplicatedJobNames, validateSubdomain } from './validate-names.js';
import { validateCoordinator, validateDependsOn, validateFailurePolicy, validateStatusKeys, validateSuccessPolicy } from './validate-policies.js';
import { validateVolumeClaimPolicies } from './validate-volumes.js';

/** Every problem with a new JobSet; empty when it may be created. */
export function validateCreate(js: JobSet): FieldIssue[] {
  return [
    // Our size limits first, as the API server checks an object's size before anything else.
    ...validateLimits(js),
    ...validateMetadata(js),
    ...validateDependsOn(js),
    ...validateSubdomain(js),
    ...validateManagedBy(js),
    ...validateReplicatedJobNames(js),
    ...validateSuccessPolicy(js),
    ...validateFailurePolicy(js),
    ...validateCoordinator(js),
    ...validateVolumeClaimPolicies(js),
    ...validateStatusKeys(js),
  ];
}
