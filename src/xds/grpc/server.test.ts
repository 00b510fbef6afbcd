// The xDS-enabled gRPC server's Listener: its address, a non-forwarding route, and RBAC from the policies that
// apply to the workload behind the address — and nothing else's.
import { describe, expect, test } from '@jest/globals';
import type { MeshModel, Workload } from '../model/model.ts';
import { decodeResource, encodeResource, typeUrls } from '../proto/protos.ts';
import { indexForGrpc } from './generate.ts';
import { grpcServerListener } from './server.ts';

const workload = (name: string, policies: string[]): Workload => ({
  uid: `Kubernetes/networking.istio.io/WorkloadEntry/app/${name}`,
  name,
  namespace: 'app',
  addresses: ['127.0.0.1'],
  serviceAccount: 'default',
  node: '',
  network: '',
  tunnelProtocol: 'NONE',
  nativeTunnel: false,
  canonicalName: name,
  canonicalRevision: 'latest',
  workloadName: name,
  services: {},
  healthy: true,
  clusterId: 'Kubernetes',
  authorizationPolicies: policies,
});

const model: MeshModel = {
  clusterId: 'Kubernetes',
  network: '',
  trustDomain: 'cluster.local',
  clusterDomain: 'cluster.local',
  rootNamespace: 'istio-system',
  services: [
    {
      name: 'echo',
      namespace: 'app',
      hostname: 'echo.app.svc.cluster.local',
      vips: ['10.96.0.5'],
      ports: [{ name: 'grpc', port: 7070, targetPort: 7070, protocol: 'grpc' }],
      endpoints: [
        {
          workloadUid: workload('secure', []).uid,
          address: '127.0.0.1',
          ports: { 7070: 30001 },
          ready: true,
          hbone: false,
        },
        {
          workloadUid: workload('open', []).uid,
          address: '127.0.0.1',
          ports: { 7070: 30002 },
          ready: true,
          hbone: false,
        },
      ],
      creationTimestamp: '',
    },
  ],
  workloads: [workload('secure', ['app/deny-mallory']), workload('open', [])],
  waypoints: [],
  routes: [],
  authorizationPolicies: [
    {
      name: 'deny-mallory',
      namespace: 'app',
      action: 'DENY',
      targetRefs: [],
      selector: { app: 'secure' },
      rules: [{ when: [{ key: 'request.headers[x-user]', values: ['mallory'] }] }],
    },
  ],
};

const name = (port: number) => `grpc/server?xds.resource.listening_address=127.0.0.1:${String(port)}`;
type Hcm = { httpFilters: { name: string; typedConfig: { rules?: { action: string } } }[]; routeConfig: unknown };
const hcm = (l: object | undefined) =>
  (l as { filterChains: { filters: { typedConfig: Hcm }[] }[] }).filterChains[0]?.filters[0]?.typedConfig;

describe('grpcServerListener', () => {
  const index = indexForGrpc(model);

  test('the selected workload gets a DENY RBAC filter before the router; the route does not forward', () => {
    const listener = grpcServerListener(index, name(30001));
    expect(listener).toMatchObject({ address: { socketAddress: { address: '127.0.0.1', portValue: 30001 } } });
    const filters = hcm(listener)?.httpFilters ?? [];
    expect(filters.map((f) => f.name)).toEqual(['envoy.filters.http.rbac.0', 'envoy.filters.http.router']);
    expect(filters[0]?.typedConfig.rules?.action).toBe('DENY');
    expect(JSON.stringify(hcm(listener)?.routeConfig)).toContain('"nonForwardingAction":{}');
    expect(decodeResource(typeUrls.listener, encodeResource(typeUrls.listener, listener ?? {}))).toEqual(listener);
  });

  test('another workload on the same IP is not subject to it; a name that is not a server listener gets nothing', () => {
    expect(hcm(grpcServerListener(index, name(30002)))?.httpFilters.map((f) => f.name)).toEqual([
      'envoy.filters.http.router',
    ]);
    expect(grpcServerListener(index, 'echo.app.svc.cluster.local:7070')).toBeUndefined();
  });

  test("the name template of the bootstrap Istio's agent writes is served the same, under the name asked for", () => {
    const istioName = 'xds.istio.io/grpc/lds/inbound/127.0.0.1:30001';
    const listener = grpcServerListener(index, istioName);
    expect(listener).toMatchObject({ name: istioName, address: { socketAddress: { portValue: 30001 } } });
    expect(hcm(listener)?.httpFilters.map((f) => f.name)).toEqual(
      hcm(grpcServerListener(index, name(30001)))?.httpFilters.map((f) => f.name),
    );
  });
});
