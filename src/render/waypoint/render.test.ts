import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { WaypointRenderError } from './errors.ts';
import type { WaypointInput } from './input.ts';
import { renderWaypoint } from './render.ts';

function input(spec: Record<string, unknown> = {}, extra: Partial<WaypointInput> = {}): WaypointInput {
  return {
    gateway: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'ns', uid: 'u1' },
      spec: {
        gatewayClassName: 'istio-waypoint',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
        ...spec,
      },
    },
    controllerLabel: 'istio.io-mesh-controller',
    revision: 'default',
    istioNamespace: 'istio-system',
    values: {},
    trustDomain: 'cluster.local',
    clusterDomain: 'cluster.local',
    proxyImage: 'docker.io/istio/proxyv2:1.28.0',
    ...extra,
  };
}

function renderError(value: WaypointInput): WaypointRenderError {
  try {
    renderWaypoint(value);
  } catch (error) {
    if (error instanceof WaypointRenderError) return error;
    throw error;
  }
  throw new Error('no error');
}

const byKind = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind);

describe('renderWaypoint', () => {
  test('refuses parameters that are not a ConfigMap', () => {
    const error = renderError(
      input({ infrastructure: { parametersRef: { group: 'example.com', kind: 'Params', name: 'p' } } }),
    );
    expect(error.message).toBe('invalid parameters: unknown infrastructure parameters type example.com/Params');
    expect(error.reason).toBe('InvalidParameters');
  });

  test('fails when the parameters ConfigMap was not found', () => {
    const error = renderError(
      input({ infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: 'gone' } } }),
    );
    expect(error.message).toBe('parametersRef targeting configmap "ns/gone", but configmap does not exist');
  });

  test('checks the keys of the class defaults too', () => {
    const error = renderError(input({}, { classDefaults: { deployments: 'spec: {}' } }));
    expect(error.message).toMatch(/^unsupported overlay "deployments"/);
  });

  test('labels every object as managed even when an overlay removes the label', () => {
    const objects = renderWaypoint(
      input({}, { classDefaults: { serviceAccount: 'metadata: {labels: {gateway.istio.io/managed: null}}' } }),
    );
    expect(byKind(objects, 'ServiceAccount')?.metadata.labels?.['gateway.istio.io/managed']).toBe(
      'istio.io-mesh-controller',
    );
  });

  test('keeps a class that is not a waypoint class out of ambient capture, as istiod does', () => {
    const objects = renderWaypoint(
      input({ gatewayClassName: 'mesh-proxies' }, { values: { global: { network: 'n1' } } }),
    );
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject({ 'istio.io/dataplane-mode': 'none' });
      expect(object.metadata.labels?.['topology.istio.io/network']).toBeUndefined();
    }
  });

  test('uses a full image reference from the proxyImage annotation', () => {
    const gw = input().gateway;
    gw.metadata.annotations = { 'sidecar.istio.io/proxyImage': 'example.com/proxy:1' };
    const deployment = byKind(renderWaypoint(input({}, { gateway: gw })), 'Deployment');
    expect(JSON.stringify(deployment)).toContain('"image":"example.com/proxy:1"');
  });

  test('renders an east-west gateway as a LoadBalancer asking for its own network', () => {
    const objects = renderWaypoint(
      input(
        { gatewayClassName: 'istio-east-west', addresses: [{ type: 'IPAddress', value: '10.0.0.9' }] },
        { controllerLabel: 'istio.io-eastwest-controller', values: { global: { network: 'n1' } } },
      ),
    );
    expect(byKind(objects, 'Service')?.['spec']).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '10.0.0.9' });
    expect(JSON.stringify(byKind(objects, 'Deployment'))).toContain(
      '{"name":"ISTIO_META_REQUESTED_NETWORK_VIEW","value":"n1"}',
    );
  });

  test('takes the Service type from the Gateway annotation', () => {
    const gw = input().gateway;
    gw.metadata.annotations = { 'networking.istio.io/service-type': 'NodePort' };
    expect(byKind(renderWaypoint(input({}, { gateway: gw })), 'Service')?.['spec']).toMatchObject({ type: 'NodePort' });
  });

  test('refuses a Gateway without a uid (it could not own anything)', () => {
    const gw = input().gateway;
    delete gw.metadata.uid;
    expect(renderError(input({}, { gateway: gw })).reason).toBe('Invalid');
  });

  test('does not change its input', () => {
    const value = input({}, { values: { global: { waypoint: { resources: { limits: { cpu: null } } } } } });
    const copy = structuredClone(value);
    renderWaypoint(value);
    expect(value).toEqual(copy);
  });
});
