// Durations and gRPC codes as VirtualServices and HTTPRoutes write them.
import { describe, expect, test } from '@jest/globals';
import { durationMs } from './duration.ts';
import { grpcStatusCode } from './grpc-status.ts';

describe('durationMs', () => {
  test.each([
    ['5s', 5000],
    ['100ms', 100],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['0.100s', 100],
    ['0s', 0],
    ['0', 0],
    ['250us', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  test.each(['', '5', 's', '5x', '1h 30m', '-5s'])('"%s" is not a duration', (text) => {
    expect(durationMs(text)).toBeUndefined();
  });
});

describe('grpcStatusCode', () => {
  test.each([
    ['UNAVAILABLE', 14],
    ['unavailable', 14],
    ['OK', 0],
    ['14', 14],
    [4, 4],
    ['UNAUTHENTICATED', 16],
  ] as const)('%s is %d', (value, code) => {
    expect(grpcStatusCode(value)).toBe(code);
  });

  test.each(['NOPE', '17', '-1'])('%s is not a code', (value) => {
    expect(grpcStatusCode(value)).toBeUndefined();
  });
});
