import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
const { code } = await bundleWorkflowCode({ workflowsPath: '/work/main/workflows/index.ts', logger: { info(){}, warn(){}, error(){}, debug(){}, trace(){}, log(){} } as any });
writeFileSync('/tmp/bundle.js', code);
