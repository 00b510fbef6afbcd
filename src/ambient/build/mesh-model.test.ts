// The model built from API objects: ports' protocols, endpoints from EndpointSlices and WorkloadEntries, pods and
// WorkloadEntries as workloads with their services, bindings to a ready waypoint, ServiceEntries' selection and
// binding (the whole-object cases are golden files: testdata/service-entry-*.yaml).
import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { meshObjectsOf, testModelSettings } from '../../testing/mesh-input.ts';
import { buildMeshModel } from './mesh-model.ts';
import { portProtocol } from './services.ts';

const obj = (kind: string, name: string, rest: Record<string, unknown> = {}, labels?: Record<string, string>) =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'app', ...(labels ? { labels } : {}) },
    ...rest,
  }) as KubeObject;

/** As the CNI marks a pod once it redirects its traffic to ztunnel. */
const redirected = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, annotations: { 'ambient.istio.io/redirection': 'enabled' } },
});

const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'app', labels: { 'istio.io/dataplane-mode': 'ambient' } },
} as KubeObject;
const gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace: 'app' },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  status: { addresses: [{ type: 'Hostname', value: 'waypoint.app.svc.cluster.local' }] },
} as KubeObject;

const model = (objects: KubeObject[], ns: KubeObject = namespace) =>
  buildMeshModel(meshObjectsOf([ns, gateway, ...objects]), testModelSettings()).model;

describe('buildMeshModel', () => {
  test('port protocols as Istio picks them: appProtocol, then the name prefix, else sniffed', () => {
    expect(portProtocol({ port: 80, name: 'http-web' })).toBe('http');
    expect(portProtocol({ port: 80, name: 'web', appProtocol: 'kubernetes.io/h2c' })).toBe('http2');
    expect(portProtocol({ port: 80, name: 'grpc' })).toBe('grpc');
    expect(portProtocol({ port: 80 })).toBe('unknown');
    expect(portProtocol({ port: 53, name: 'http', protocol: 'UDP' })).toBe('tcp');
  });

  test('a selector Service gets WorkloadEntry endpoints by port name, and the entry is a workload of it', () => {
    const m = model([
      obj(
        'Service',
        'echo',
        {
          spec: {
            clusterIP: '10.0.0.9',
            selector: { app: 'echo' },
            ports: [{ name: 'http', port: 80, targetPort: 8080 }],
          },
        },
        { 'istio.io/use-waypoint': 'waypoint' },
      ),
      obj('WorkloadEntry', 'vm', { spec: { address: '127.0.0.1', ports: { http: 25080 }, labels: { app: 'echo' } } }),
      obj('WorkloadEntry', 'other', { spec: { address: '127.0.0.2', labels: { app: 'nope' } } }),
    ]);
    const svc = m.services[0];
    expect(svc?.waypoint).toMatchObject({ namespace: 'app', name: 'waypoint', port: 15008 });
    expect(svc?.endpoints).toEqual([
      {
        workloadUid: 'Kubernetes/networking.istio.io/WorkloadEntry/app/vm',
        address: '127.0.0.1',
        ports: { 80: 25080 },
        ready: true,
        hbone: false,
      },
    ]);
    expect(m.workloads.find((w) => w.name === 'vm')?.services).toEqual({
      'app/echo.app.svc.cluster.local': { 80: 25080 },
    });
    expect(m.waypoints).toEqual([
      expect.objectContaining({ name: 'waypoint', services: ['echo.app.svc.cluster.local'] }),
    ]);
  });

  test('EndpointSlice endpoints of redirected pods are HBONE, with their readiness; pods are workloads', () => {
    const m = model([
      obj('Service', 'web', {
        spec: { clusterIP: '10.0.0.8', ports: [{ name: 'http', port: 80, targetPort: 'web' }] },
      }),
      obj(
        'EndpointSlice',
        'web-abc',
        {
          apiVersion: 'discovery.k8s.io/v1',
          ports: [{ name: 'http', port: 8080 }],
          endpoints: [
            {
              addresses: ['10.1.0.5'],
              conditions: { ready: true },
              targetRef: { kind: 'Pod', name: 'web-1', namespace: 'app' },
            },
            { addresses: ['10.1.0.6'], conditions: { ready: false } },
          ],
        },
        { 'kubernetes.io/service-name': 'web' },
      ),
      redirected(
        obj(
          'Pod',
          'web-1',
          {
            spec: { serviceAccountName: 'web', nodeName: 'node-1' },
            status: { podIP: '10.1.0.5', phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
          },
          { app: 'web', version: 'v1' },
        ),
      ),
    ]);
    expect(m.services[0]?.endpoints.map((e) => [e.address, e.ready, e.hbone, e.ports])).toEqual([
      ['10.1.0.5', true, true, { 80: 8080 }],
      ['10.1.0.6', false, false, { 80: 8080 }],
    ]);
    expect(m.workloads[0]).toMatchObject({
      uid: 'Kubernetes//Pod/app/web-1',
      tunnelProtocol: 'HBONE',
      serviceAccount: 'web',
      canonicalName: 'web',
      canonicalRevision: 'v1',
      healthy: true,
      services: { 'app/web.app.svc.cluster.local': { 80: 8080 } },
    });
  });

  test('a ServiceEntry selects only the WorkloadEntries and pods of its namespace whose labels match', () => {
    const entry = obj('ServiceEntry', 'vms', {
      apiVersion: 'networking.istio.io/v1',
      spec: {
        hosts: ['vms.internal'],
        addresses: ['240.240.0.1'],
        resolution: 'STATIC',
        ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
        workloadSelector: { labels: { app: 'vm' } },
      },
    });
    const running = { status: { podIP: '10.1.0.9', phase: 'Running' } };
    const m = model([
      entry,
      obj('WorkloadEntry', 'match', { spec: { address: '127.0.0.1', labels: { app: 'vm' }, ports: { http: 9000 } } }),
      obj('WorkloadEntry', 'label-only-in-meta', { spec: { address: '127.0.0.2' } }, { app: 'vm' }),
      obj('WorkloadEntry', 'other-label', { spec: { address: '127.0.0.3', labels: { app: 'web' } } }),
      {
        ...obj('WorkloadEntry', 'other-ns', { spec: { address: '127.0.0.4', labels: { app: 'vm' } } }),
        metadata: { name: 'other-ns', namespace: 'elsewhere' },
      },
      redirected(obj('Pod', 'vm-pod', running, { app: 'vm' })),
      obj('Pod', 'done', { status: { podIP: '10.1.0.10', phase: 'Succeeded' } }, { app: 'vm' }),
    ]);
    expect(m.services.map((s) => [s.hostname, s.vips])).toEqual([['vms.internal', ['240.240.0.1']]]);
    expect(m.services[0]?.endpoints.map((e) => [e.address, e.ports, e.hbone])).toEqual([
      ['10.1.0.9', { 80: 8080 }, true],
      ['127.0.0.1', { 80: 9000 }, false],
      ['127.0.0.2', { 80: 8080 }, false],
    ]);
    const keys = (name: string) => Object.keys(m.workloads.find((w) => w.name === name)?.services ?? {});
    expect(keys('match')).toEqual(['app/vms.internal']);
    expect(keys('vm-pod')).toEqual(['app/vms.internal']);
    expect(keys('other-label')).toEqual([]);
  });

  test('a ServiceEntry without a selector selects nothing; a bad one is skipped and the rest still built', () => {
    const m = model([
      obj('ServiceEntry', 'broken', { spec: { hosts: ['x.example.com'], addresses: ['nope'] } }),
      obj('ServiceEntry', 'empty-selector', {
        spec: { hosts: ['y.example.com'], resolution: 'STATIC', workloadSelector: { labels: {} } },
      }),
      obj('WorkloadEntry', 'vm', { spec: { address: '127.0.0.1', labels: { app: 'vm' } } }),
      obj('Service', 'web', { spec: { clusterIP: '10.0.0.8', ports: [{ name: 'http', port: 80 }] } }),
    ]);
    expect(m.services.map((s) => s.hostname).sort()).toEqual(['web.app.svc.cluster.local', 'y.example.com']);
    expect(m.services.find((s) => s.hostname === 'y.example.com')?.endpoints).toEqual([]);
  });

  test("a ServiceEntry's own use-waypoint label beats its namespace's; none opts out", () => {
    const entry = (name: string, labels: Record<string, string>) =>
      obj('ServiceEntry', name, { spec: { hosts: [`${name}.example.com`], resolution: 'STATIC' } }, labels);
    const labelled = { ...namespace, metadata: { name: 'app', labels: { 'istio.io/use-waypoint': 'waypoint' } } };
    const m = model([entry('inherits', {}), entry('opted-out', { 'istio.io/use-waypoint': 'none' })], labelled);
    expect(Object.fromEntries(m.services.map((s) => [s.name, s.waypoint?.name ?? 'none']))).toEqual({
      inherits: 'waypoint',
      'opted-out': 'none',
    });
  });
});
