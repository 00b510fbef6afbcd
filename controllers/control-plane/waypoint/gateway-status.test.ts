import { describe, expect, test } from '@jest/globals';
import {
  gatewayStatus,
  joinList,
  parametersProblem,
  refusedBefore,
  refusedSuffix,
  type GatewayFacts,
} from './gateway-status.ts';

const facts = (f: Partial<GatewayFacts>): GatewayFacts => ({
  generation: 1,
  listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
  serviceHost: 'waypoint.ns.svc.cluster.local',
  serviceIps: ['10.96.0.10'],
  podReady: true,
  previousAddresses: undefined,
  ...f,
});
const programmed = (f: Partial<GatewayFacts>) =>
  gatewayStatus(facts(f)).conditions.find((c) => c.type === 'Programmed');

describe('waypoint Gateway status', () => {
  test('programmed once a pod is Ready, with the IP then the hostname', () => {
    const s = gatewayStatus(facts({}));
    expect(programmed({})).toMatchObject({
      status: 'True',
      reason: 'Programmed',
      message: 'Resource programmed, assigned to service(s) waypoint.ns.svc.cluster.local:15008',
    });
    expect(s.addresses).toEqual([
      { type: 'IPAddress', value: '10.96.0.10' },
      { type: 'Hostname', value: 'waypoint.ns.svc.cluster.local' },
    ]);
    expect(s.listeners[0]).toMatchObject({ name: 'mesh', attachedRoutes: 0, supportedKinds: [] });
  });

  test('no Service yet: AddressNotUsable; no Ready pod: AddressNotAssigned; a previous address is never removed', () => {
    expect(programmed({ serviceIps: undefined })).toMatchObject({
      status: 'False',
      reason: 'AddressNotUsable',
      message: 'Failed to assign to any requested addresses: hostname "waypoint.ns.svc.cluster.local" not found',
    });
    expect(programmed({ podReady: false })).toMatchObject({ reason: 'AddressNotAssigned' });
    const kept = [{ type: 'IPAddress', value: '10.96.0.9' }];
    expect(gatewayStatus(facts({ podReady: false, previousAddresses: kept })).addresses).toBe(kept);
    expect(gatewayStatus(facts({ podReady: false })).addresses).toBeUndefined();
  });

  test('anything but one HBONE listener on 15008 is UnsupportedProtocol, and the Gateway stays Accepted', () => {
    const s = gatewayStatus(facts({ listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }] }));
    expect(s.listeners[0]?.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'UnsupportedProtocol',
      message: 'Expected a single listener on port 15008 with protocol "HBONE"',
    });
    expect(s.listeners[0]?.supportedKinds.map((k) => k.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
    expect(s.conditions[0]).toMatchObject({ type: 'Accepted', status: 'True' });
  });

  test('a render error is reported as Programmed=False/Invalid', () => {
    expect(programmed({ error: 'unsupported overlay "daemonSet"' })).toMatchObject({
      status: 'False',
      reason: 'Invalid',
      message: 'unsupported overlay "daemonSet"',
    });
  });

  test('lists join as istiod joins them', () => {
    expect([joinList(['a']), joinList(['a', 'b']), joinList(['a', 'b', 'c'])]).toEqual(['a', 'a and b', 'a, b, and c']);
  });

  test('a refused configuration is recognised by its fingerprint, in the same generation only', () => {
    const message = `failed to apply the waypoint: Deployment refused${refusedSuffix('abc123')}`;
    const conditions = [
      {
        type: 'Programmed',
        status: 'False' as const,
        reason: 'Invalid',
        message,
        observedGeneration: 2,
        lastTransitionTime: '',
      },
    ];
    expect(refusedBefore(conditions, 2, 'abc123')).toBe(message);
    expect(refusedBefore(conditions, 2, 'def456')).toBeUndefined();
    expect(refusedBefore(conditions, 3, 'abc123')).toBeUndefined();
    expect(
      refusedBefore([{ ...conditions[0]!, reason: 'Programmed', status: 'True' as const }], 2, 'abc123'),
    ).toBeUndefined();
    expect(refusedBefore(undefined, 2, 'abc123')).toBeUndefined();
  });

  test("parametersRef: istiod's Accepted check, reported as InvalidParameters", () => {
    const gw = (ref: object) =>
      ({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'w', namespace: 'app' },
        spec: { infrastructure: { parametersRef: ref } },
      }) as never;
    const exists = (ns: string, name: string) => `${ns}/${name}` === 'app/here';
    expect(parametersProblem(gw({ group: '', kind: 'ConfigMap', name: 'here' }), exists)).toBeUndefined();
    expect(parametersProblem(gw({ group: '', kind: 'ConfigMap', name: 'gone' }), exists)).toBe(
      'parametersRef ConfigMap app/gone does not exist',
    );
    expect(parametersProblem(gw({ group: 'example.com', kind: 'Params', name: 'x' }), exists)).toBe(
      'Unsupported parametersRef group/kind example.com/Params, only ConfigMap is supported',
    );
    const status = gatewayStatus({
      generation: 1,
      listeners: [],
      serviceHost: 'w.app.svc.cluster.local',
      serviceIps: undefined,
      podReady: false,
      previousAddresses: undefined,
      invalidParameters: 'parametersRef ConfigMap app/gone does not exist',
    });
    expect(status.conditions[0]).toMatchObject({ type: 'Accepted', status: 'False', reason: 'InvalidParameters' });
  });
});
