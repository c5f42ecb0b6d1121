import { ConditionType } from '../../../src/api/constants.js';
import { InvalidTimestampError, finishTime, ttlExpiry, ttlRemainingMs } from '../../../src/core/ttl.js';
import { cond, makeJobSet, makeStatus } from './builders.js';

const FIN = '2024-05-01T10:00:00Z';
const completed = makeStatus()
  .condition(cond(ConditionType.Completed, 'True', 'r', 'm', FIN))
  .obj();
const failed = makeStatus()
  .condition(cond(ConditionType.Suspended, 'True', 'r', 'm', '2024-05-01T09:00:00Z'))
  .condition(cond(ConditionType.Failed, 'True', 'r', 'm', FIN))
  .obj();
const running = makeStatus()
  .condition(cond(ConditionType.Completed, 'False', 'r', 'm', FIN))
  .obj();

describe('ttl (§3.12)', () => {
  test.each([
    ['Completed', completed, FIN],
    ['Failed (other conditions ignored)', failed, FIN],
    ['not finished', running, undefined],
  ])('finishTime when %s', (_, status, want) => {
    expect(finishTime(status)).toBe(want);
  });

  test.each([
    ['ttl 60 after Completed', 60, completed, '2024-05-01T10:01:00.000Z'],
    ['ttl 0 is the finish time', 0, completed, '2024-05-01T10:00:00.000Z'],
    ['ttl after Failed', 3600, failed, '2024-05-01T11:00:00.000Z'],
    ['not finished', 60, running, undefined],
  ])('ttlExpiry: %s', (_, ttl, status, want) => {
    expect(ttlExpiry(makeJobSet().ttl(ttl).obj(), status)).toBe(want);
  });

  test('no ttlSecondsAfterFinished: no expiry', () => {
    expect(ttlExpiry(makeJobSet().obj(), completed)).toBeUndefined();
    expect(ttlRemainingMs(makeJobSet().obj(), completed, FIN)).toBeUndefined();
  });

  test.each([
    ['before expiry', '2024-05-01T10:00:30Z', 30_000],
    ['exactly at expiry', '2024-05-01T10:01:00Z', 0],
    ['after expiry', '2024-05-01T11:00:00Z', 0],
    ['clock skew: now before finish', '2024-05-01T09:59:00Z', 120_000],
    ['offset timestamps', '2024-05-01T12:00:30+02:00', 30_000],
  ])('ttlRemainingMs %s', (_, now, want) => {
    expect(ttlRemainingMs(makeJobSet().ttl(60).obj(), completed, now)).toBe(want);
  });

  test('an unparsable time is an error', () => {
    const bad = makeStatus()
      .condition(cond(ConditionType.Completed, 'True', 'r', 'm', 'yesterday'))
      .obj();
    expect(() => ttlExpiry(makeJobSet().ttl(1).obj(), bad)).toThrow(InvalidTimestampError);
    expect(() => ttlRemainingMs(makeJobSet().ttl(1).obj(), completed, 'soon')).toThrow(InvalidTimestampError);
  });
});
