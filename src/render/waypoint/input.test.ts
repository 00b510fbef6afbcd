import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { infrastructureMetadata, waypointNames } from './input.ts';
import { servicePorts } from './ports.ts';

function gateway(metadata: Partial<KubeObject['metadata']>, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: 'ns', ...metadata },
    spec: { gatewayClassName: 'istio-waypoint', ...spec },
  };
}

describe('waypointNames', () => {
  test('names everything like the Gateway by default', () => {
    expect(waypointNames(gateway({}))).toEqual({ deployment: 'waypoint', serviceAccount: 'waypoint' });
  });

  test('honours the name-override and service-account annotations, ignoring empty ones', () => {
    const annotations = { 'gateway.istio.io/name-override': 'proxy', 'gateway.istio.io/service-account': 'identity' };
    expect(waypointNames(gateway({ annotations }))).toEqual({ deployment: 'proxy', serviceAccount: 'identity' });
    const empty = { 'gateway.istio.io/name-override': '', 'gateway.istio.io/service-account': '' };
    expect(waypointNames(gateway({ annotations: empty }))).toEqual({
      deployment: 'waypoint',
      serviceAccount: 'waypoint',
    });
  });
});

describe('infrastructureMetadata', () => {
  const own = {
    labels: { app: 'own', 'gateway.networking.k8s.io/own': 'kept' },
    annotations: {
      note: 'own',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'gateway.istio.io/name-override': 'x',
      'gateway.istio.io/service-account': 'y',
      'gateway.istio.io/controller-version': '5',
    },
  };

  test("copies the Gateway's own labels and annotations, less the controller's annotations", () => {
    // As istiod: only spec.infrastructure's reserved keys are dropped; the Gateway's own are copied as they are.
    expect(infrastructureMetadata(gateway(own))).toEqual({
      labels: { app: 'own', 'gateway.networking.k8s.io/own': 'kept' },
      annotations: { note: 'own' },
    });
  });

  test("uses spec.infrastructure's instead when set, without the gateway.networking.k8s.io/ keys", () => {
    const infrastructure = {
      labels: { app: 'infra', 'gateway.networking.k8s.io/x': 'dropped' },
      annotations: { note: 'infra', 'gateway.networking.k8s.io/y': 'dropped', 'gateway.istio.io/name-override': 'z' },
    };
    expect(infrastructureMetadata(gateway(own, { infrastructure }))).toEqual({
      labels: { app: 'infra' },
      annotations: { note: 'infra' },
    });
  });

  test('takes each of labels and annotations from spec.infrastructure only when that one is set', () => {
    const result = infrastructureMetadata(gateway(own, { infrastructure: { labels: {} } }));
    expect(result).toEqual({ labels: {}, annotations: { note: 'own' } });
  });

  test('does not change the Gateway', () => {
    const gw = gateway(structuredClone(own));
    infrastructureMetadata(gw);
    expect(gw.metadata).toMatchObject(own);
  });
});

describe('servicePorts', () => {
  test('status port first, then one per distinct listener port, named after the listener', () => {
    const long = 'a'.repeat(70);
    expect(
      servicePorts([
        { name: 'mesh.hbone', port: 15008, protocol: 'HBONE' },
        { name: 'again', port: 15008, protocol: 'HBONE' },
        { name: long, port: 80, protocol: 'HTTP' },
        { name: '', port: 443, protocol: 'TLS' },
      ]),
    ).toEqual([
      { name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp' },
      { name: 'mesh-hbone', port: 15008, protocol: 'TCP', appProtocol: 'hbone' },
      { name: 'a'.repeat(63), port: 80, protocol: 'TCP', appProtocol: 'http' },
      { name: 'tls-3', port: 443, protocol: 'TCP', appProtocol: 'tls' },
    ]);
  });
});
