import { describe, expect, test } from '@jest/globals';
import { base64, formatIp, parseCidr, parseIp } from './ip.ts';

const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : undefined);

describe('parseIp', () => {
  test.each([
    ['10.0.0.1', '0a000001'],
    ['0.0.0.0', '00000000'],
    ['255.255.255.255', 'ffffffff'],
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['2001:db8::8a2e:370:7334', '20010db80000000000008a2e03707334'],
    ['2001:DB8:0:0:0:0:0:1', '20010db8000000000000000000000001'],
    ['fd00:10:96::a', 'fd00001000960000000000000000000a'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['::2:3:4:5:6:7:8', '00000002000300040005000600070008'],
    ['::ffff:10.1.2.3', '00000000000000000000ffff0a010203'],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
  ])('%s', (text, bytes) => {
    expect(hex(parseIp(text))).toBe(bytes);
  });

  test.each([
    '',
    '10.0.0',
    '10.0.0.1.2',
    '10.0.0.256',
    '10.0.0.01',
    '10.0.0.-1',
    ' 10.0.0.1',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '1::2::3',
    ':::',
    ':1::',
    '1:::2',
    '12345::',
    'g::',
    'fe80::1%eth0',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '1:2:3:4:5:6:7:1.2.3.4',
    'localhost',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  test('defaults to a single host', () => {
    expect(parseCidr('10.1.0.0')).toEqual({ bytes: Uint8Array.from([10, 1, 0, 0]), length: 32 });
    expect(parseCidr('::1')?.length).toBe(128);
  });

  test('reads the prefix length', () => {
    expect(parseCidr('10.1.0.0/16')).toEqual({ bytes: Uint8Array.from([10, 1, 0, 0]), length: 16 });
    expect(parseCidr('0.0.0.0/0')?.length).toBe(0);
    expect(parseCidr('fd00::/8')?.length).toBe(8);
  });

  test.each(['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/08', 'fd00::/129', '/8'])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('formatIp', () => {
  test.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    // One zero group stays; of equal runs the first is shortened; the longest run wins.
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['1:0:2:0:0:0:3:4', '1:0:2::3:4'],
    ['::ffff:10.1.2.3', '::ffff:10.1.2.3'],
  ])('%s → %s', (text, formatted) => {
    expect(formatIp(parseIp(text)!)).toBe(formatted);
  });

  test('round-trips through parseIp', () => {
    for (const text of ['fd00:10:96::a', '1:2:3:4:5:6:7:8', '1::', '0.0.0.0']) {
      expect(hex(parseIp(formatIp(parseIp(text)!)))).toBe(hex(parseIp(text)));
    }
  });
});

test('base64 is the protobuf JSON form of bytes', () => {
  expect(base64(parseIp('10.0.0.1')!)).toBe('CgAAAQ==');
});
