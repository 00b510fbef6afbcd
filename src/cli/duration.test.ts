import { describe, expect, test } from '@jest/globals';
import { parseGoDuration } from './duration.ts';

describe('parseGoDuration', () => {
  test.each([
    ['24h', 86400],
    ['90m', 5400],
    ['1h30m', 5400],
    ['2160h', 7776000],
    ['1.5h', 5400],
    ['45s', 45],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseGoDuration('X', text)).toBe(seconds);
  });

  test.each(['', '24', 'h', '1d', '24h ', '-1h', '0s'])('"%s" is refused with the variable named', (text) => {
    expect(() => parseGoDuration('MAX_WORKLOAD_CERT_TTL', text)).toThrow(/MAX_WORKLOAD_CERT_TTL=/);
  });
});
