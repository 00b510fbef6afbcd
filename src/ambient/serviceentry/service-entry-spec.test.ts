// Reading one ServiceEntry: protocols and ports, VIPs (given, CIDR, auto-allocated), inline endpoints, and the
// problems bad input gives instead of an exception.
import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { parseServiceEntry, serviceEntryProtocol } from './service-entry-spec.ts';

const se = (spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'e', namespace: 'ns' },
  spec: { hosts: ['e.example.com'], ...spec },
  ...extra,
});

describe('parseServiceEntry', () => {
  test('protocols as istiod parses them, case-insensitively; unknown or empty is sniffed', () => {
    expect(serviceEntryProtocol('HTTP')).toBe('http');
    expect(serviceEntryProtocol('https')).toBe('tls');
    expect(serviceEntryProtocol('GRPC')).toBe('grpc');
    expect(serviceEntryProtocol('Mongo')).toBe('tcp');
    expect(serviceEntryProtocol(undefined)).toBe('unknown');
    expect(serviceEntryProtocol('quic')).toBe('unknown');
  });

  test('ports: the target port defaults to the number; a port without a valid number is left out', () => {
    const { entry, problems } = parseServiceEntry(
      se({
        ports: [
          { number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 },
          { number: 443, name: 'tls' },
          { name: 'x' },
        ],
      }),
    );
    expect(entry?.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080, protocol: 'http' },
      { name: 'tls', port: 443, targetPort: 443, protocol: 'unknown' },
    ]);
    expect(problems).toEqual(['spec.ports[2] has no valid number; the port is left out']);
  });

  test('resolution defaults to NONE, location to MESH_EXTERNAL; hosts are kept once each', () => {
    const { entry } = parseServiceEntry(se({ hosts: ['a.example.com', 'a.example.com', 'b.example.com'] }));
    expect(entry).toMatchObject({
      resolution: 'NONE',
      location: 'MESH_EXTERNAL',
      hosts: ['a.example.com', 'b.example.com'],
    });
  });

  test('addresses: IPs in canonical form, a single-address CIDR as its IP, wider CIDRs left out', () => {
    const { entry, problems } = parseServiceEntry(
      se({ resolution: 'STATIC', addresses: ['FD00:0:0::1', '10.0.0.5/32', '10.0.0.0/8'] }),
    );
    expect(entry?.vips.get('e.example.com')).toEqual(['fd00::1', '10.0.0.5']);
    expect(problems).toEqual([
      'spec.addresses[2] "10.0.0.0/8" is a CIDR of more than one address, which Ambit does not serve',
    ]);
  });

  test('without addresses, the auto-allocated ones from status, per host, unless NONE or opted out', () => {
    const status = {
      addresses: [
        { host: 'e.example.com', value: '240.240.0.1' },
        { host: 'other.example.com', value: '240.240.0.2' },
        { host: 'e.example.com', value: 'nonsense' },
      ],
    };
    const vips = (spec: Record<string, unknown>, labels: Record<string, string> = {}) =>
      parseServiceEntry(se(spec, { status, metadata: { name: 'e', namespace: 'ns', labels } })).entry?.vips.get(
        'e.example.com',
      );
    expect(vips({ resolution: 'STATIC' })).toEqual(['240.240.0.1']);
    expect(vips({ resolution: 'NONE' })).toEqual([]);
    expect(vips({ resolution: 'DNS' }, { 'networking.istio.io/enable-autoallocate-ip': 'false' })).toEqual([]);
    expect(vips({ resolution: 'STATIC', addresses: ['10.0.0.0/8'] })).toEqual([]);
  });

  test('inline endpoints: IPs only, with their ports, labels and identity', () => {
    const { entry, problems } = parseServiceEntry(
      se({
        resolution: 'DNS',
        endpoints: [
          { address: '127.0.0.1', ports: { http: 8080 }, labels: { v: '1' }, serviceAccount: 'sa', network: 'n2' },
          { address: 'db.example.com' },
          { network: 'n3' },
        ],
      }),
    );
    expect(entry?.endpoints).toEqual([
      { address: '127.0.0.1', ports: { http: 8080 }, labels: { v: '1' }, serviceAccount: 'sa', network: 'n2' },
    ]);
    expect(problems).toEqual([
      'spec.endpoints[1] address "db.example.com" is not an IP; Ambit resolves no DNS names or sockets, the endpoint is left out',
      'spec.endpoints[2] has no address; Ambit resolves no DNS names or sockets, the endpoint is left out',
    ]);
  });

  test('a selector is kept only when it has labels', () => {
    expect(parseServiceEntry(se({ workloadSelector: { labels: { app: 'a' } } })).entry?.selector).toEqual({ app: 'a' });
    expect(parseServiceEntry(se({ workloadSelector: { labels: {} } })).entry).not.toHaveProperty('selector');
  });

  test.each([
    ['no hosts', se({ hosts: [] }), 'spec.hosts is empty; the ServiceEntry is skipped'],
    [
      'no spec at all',
      { apiVersion: 'v1', kind: 'ServiceEntry', metadata: { name: 'e' } },
      'spec.hosts is empty; the ServiceEntry is skipped',
    ],
    [
      'an unparsable address',
      se({ addresses: ['10.0.0.1', '10.0.0.300'] }),
      'spec.addresses[1] "10.0.0.300" is not an IP or CIDR; the ServiceEntry is skipped',
    ],
    [
      'DYNAMIC_DNS',
      se({ resolution: 'DYNAMIC_DNS' }),
      'resolution DYNAMIC_DNS is not supported by Ambit; the ServiceEntry is skipped',
    ],
    [
      'an unknown resolution',
      se({ resolution: 'MAGIC' }),
      'resolution "MAGIC" is not known; the ServiceEntry is skipped',
    ],
  ])('skipped, with a reason and no exception: %s', (_, obj, reason) => {
    const parsed = parseServiceEntry(obj);
    expect(parsed.entry).toBeUndefined();
    expect(parsed.problems).toEqual([reason]);
  });
});
