import { describe, expect, test } from '@jest/globals';
import { decodeProcAddress, isLoopback } from './sockets.ts';

describe('/proc/net/tcp addresses', () => {
  test('decodes IPv4 and IPv6 forms', () => {
    expect(decodeProcAddress('0100007F:1F90')).toBe('127.0.0.1:8080');
    expect(decodeProcAddress('00000000:0016')).toBe('0.0.0.0:22');
    expect(decodeProcAddress('00000000000000000000000001000000:0050')).toBe('0:0:0:0:0:0:0:1:80');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F:0050')).toBe('0:0:0:0:0:ffff:7f00:1:80');
  });

  test('loopback is 127.0.0.0/8, ::1 and IPv4-mapped 127.x; the wildcard and other addresses are not', () => {
    expect(isLoopback('127.0.0.1:1')).toBe(true);
    expect(isLoopback('127.3.2.1:1')).toBe(true);
    expect(isLoopback('0:0:0:0:0:0:0:1:80')).toBe(true);
    expect(isLoopback('0:0:0:0:0:ffff:7f00:1:80')).toBe(true);
    expect(isLoopback('0.0.0.0:22')).toBe(false);
    expect(isLoopback('0:0:0:0:0:0:0:0:22')).toBe(false);
    expect(isLoopback('10.0.0.1:443')).toBe(false);
  });
});
