// Real servers on a loaded 2-core machine: generous per-test limits, and no timing assertions
// anywhere (speed is measured by bench/, not by tests). Jest reads testTimeout only globally,
// so the integration project sets it here.
import { afterAll, jest } from '@jest/globals';

import { stopChildCache } from './helpers/kube.js';

jest.setTimeout(300_000);

// The in-process workers' shared cache of child objects holds watches open: closed after each file.
afterAll(stopChildCache);
