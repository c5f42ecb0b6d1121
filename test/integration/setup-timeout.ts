// Real servers on a loaded 2-core machine: generous per-test limits, and no timing assertions
// anywhere (speed is measured by bench/, not by tests). Jest reads testTimeout only globally,
// so the integration project sets it here.
import { jest } from '@jest/globals';

jest.setTimeout(300_000);
