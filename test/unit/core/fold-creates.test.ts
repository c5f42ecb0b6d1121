// Issue 13 item 2: the Service and PVCs a pass ensures travel with its CreateJobs action.
import { foldCreates } from '../../../src/core/fold-creates.js';
import type { Action } from '../../../src/core/types.js';

const jobs = [{ replicatedJob: 'w', jobIndex: 0 }];
const service: Action = { type: 'EnsureService' };
const pvcs: Action = { type: 'EnsurePVCs' };
const create: Action = { type: 'CreateJobs', jobs };
const del: Action = { type: 'DeleteJobs', names: ['js-w-1'] };
const suspend: Action = { type: 'SuspendJobs', names: ['js-w-0'] };

describe('issue 13 item 2: foldCreates', () => {
  test.each<[string, Action[], Action[]]>([
    ['a new JobSet: Service, then Jobs, in one action', [service, create], [{ type: 'CreateJobs', jobs, ensureService: true }]],
    ['Service and PVCs, then Jobs', [service, pvcs, create], [{ type: 'CreateJobs', jobs, ensureService: true, ensurePVCs: true }]],
    ['PVCs only', [pvcs, create], [{ type: 'CreateJobs', jobs, ensurePVCs: true }]],
    ['nothing to ensure: unchanged', [del, create], [del, create]],
    ['nothing to create: Service and PVCs stay their own actions', [service, pvcs, suspend], [service, pvcs, suspend]],
    ['actions after the create keep their place', [service, create, suspend], [{ type: 'CreateJobs', jobs, ensureService: true }, suspend]],
    ['no actions', [], []],
  ])('%s', (_, actions, folded) => {
    expect(foldCreates(actions)).toEqual(folded);
  });

  test('the input is not changed', () => {
    const actions: Action[] = [service, create];
    foldCreates(actions);
    expect(actions).toEqual([service, { type: 'CreateJobs', jobs }]);
  });
});
