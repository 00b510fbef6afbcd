// The binding rules and their precedence (the README's table), one case per rule.
import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../kube/objects.ts';
import { identityBinding, serviceBinding, waypointBoundCondition, workloadBinding, type Binding } from './binding.ts';
import { ambientView } from './view.ts';

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const gw = (
  name: string,
  namespace: string,
  o: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ready?: boolean;
    from?: string;
    selector?: object;
  } = {},
): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace, labels: o.labels ?? {}, annotations: o.annotations ?? {} },
  spec: {
    gatewayClassName: 'istio-waypoint',
    listeners: [
      {
        name: 'mesh',
        port: 15008,
        protocol: 'HBONE',
        ...(o.from
          ? { allowedRoutes: { namespaces: { from: o.from, ...(o.selector ? { selector: o.selector } : {}) } } }
          : {}),
      },
    ],
  },
  status:
    o.ready === false
      ? {}
      : {
          addresses: [
            { type: 'IPAddress', value: '10.96.0.5' },
            { type: 'Hostname', value: `${name}.${namespace}.svc.cluster.local` },
          ],
        },
});
const svc = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels },
});
const serviceEntry = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name, namespace, labels },
  spec: { hosts: [`${name}.example.com`] },
});
const pod = (name: string, namespace: string, labels: Record<string, string> = {}, sa = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { serviceAccountName: sa },
});
const bound = (b: Binding) =>
  b.kind === 'bound'
    ? `${b.waypoint.namespace}/${b.waypoint.name} (${b.source})`
    : b.kind === 'error'
      ? b.reason
      : 'none';

const namespaces = [
  ns('app', { 'istio.io/use-waypoint': 'waypoint' }),
  ns('plain'),
  ns('other', { team: 'b' }),
  ns('shared'),
];
const gateways = [
  gw('waypoint', 'app', { labels: { 'istio.io/waypoint-for': 'all' } }),
  gw('svc-only', 'app'),
  gw('wl-only', 'app', { labels: { 'istio.io/waypoint-for': 'workload' } }),
  gw('not-ready', 'app', { ready: false }),
  gw('sleep-wp', 'app', { annotations: { 'istio.io/for-service-account': 'sleep' } }),
  gw('open', 'shared', { labels: { 'istio.io/waypoint-for': 'all' }, from: 'All' }),
  gw('closed', 'shared'),
  gw('team-b', 'shared', { from: 'Selector', selector: { matchLabels: { team: 'b' } } }),
];
const view = ambientView(namespaces, gateways, [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio-waypoint' } },
]);

describe('service binding', () => {
  test.each([
    ['inherits the namespace waypoint', svc('s', 'app'), 'app/waypoint (namespace)'],
    [
      'its own label beats the namespace',
      svc('s', 'app', { 'istio.io/use-waypoint': 'svc-only' }),
      'app/svc-only (object)',
    ],
    ['none opts out even with a namespace waypoint', svc('s', 'app', { 'istio.io/use-waypoint': 'none' }), 'none'],
    ['no label anywhere: none', svc('s', 'plain'), 'none'],
    [
      'a named waypoint that is not ready: no fallback',
      svc('s', 'app', { 'istio.io/use-waypoint': 'not-ready' }),
      'WaypointIsNotReady',
    ],
    [
      'a workload-only waypoint refuses service traffic',
      svc('s', 'app', { 'istio.io/use-waypoint': 'wl-only' }),
      'UnsupportedTrafficType',
    ],
    [
      'cross-namespace with allowedRoutes All',
      svc('s', 'plain', { 'istio.io/use-waypoint': 'open', 'istio.io/use-waypoint-namespace': 'shared' }),
      'shared/open (object)',
    ],
    [
      'cross-namespace without allowedRoutes',
      svc('s', 'plain', { 'istio.io/use-waypoint': 'closed', 'istio.io/use-waypoint-namespace': 'shared' }),
      'AttachmentDenied',
    ],
    [
      'cross-namespace by namespace selector',
      svc('s', 'other', { 'istio.io/use-waypoint': 'team-b', 'istio.io/use-waypoint-namespace': 'shared' }),
      'shared/team-b (object)',
    ],
    [
      'a waypoint never gets a waypoint',
      svc('waypoint', 'app', { 'gateway.istio.io/managed': 'istio.io-mesh-controller' }),
      'none',
    ],
  ])('%s', (_, s, expected) => {
    expect(bound(serviceBinding(view, s))).toBe(expected);
  });

  test('the WaypointBound condition carries istiod reasons and messages', () => {
    expect(waypointBoundCondition(serviceBinding(view, svc('s', 'app')))).toEqual({
      status: 'True',
      reason: 'WaypointAccepted',
      message: 'Successfully attached to waypoint app/waypoint',
    });
    expect(
      waypointBoundCondition(serviceBinding(view, svc('s', 'app', { 'istio.io/use-waypoint': 'not-ready' }))),
    ).toEqual({
      status: 'False',
      reason: 'WaypointIsNotReady',
      message: 'waypoint "app/not-ready" is not ready',
    });
    expect(waypointBoundCondition(serviceBinding(view, svc('s', 'plain')))).toBeUndefined();
  });
});

describe('workload binding', () => {
  test.each([
    ['inherits an all-traffic namespace waypoint', pod('p', 'app'), 'app/waypoint (namespace)'],
    [
      "a service account's waypoint beats the namespace waypoint",
      pod('p', 'app', {}, 'sleep'),
      'app/sleep-wp (service-account)',
    ],
    [
      'an explicit pod label beats the service-account waypoint',
      pod('p', 'app', { 'istio.io/use-waypoint': 'wl-only' }, 'sleep'),
      'app/wl-only (object)',
    ],
    ['pod none opts out of everything', pod('p', 'app', { 'istio.io/use-waypoint': 'none' }, 'sleep'), 'none'],
    [
      'a pod naming a service-only waypoint: UnsupportedTrafficType',
      pod('p', 'app', { 'istio.io/use-waypoint': 'svc-only' }),
      'UnsupportedTrafficType',
    ],
    [
      'a waypoint pod gets no waypoint',
      pod('waypoint-abc', 'app', { 'gateway.networking.k8s.io/gateway-name': 'waypoint' }),
      'none',
    ],
  ])('%s', (_, p, expected) => {
    expect(bound(workloadBinding(view, p))).toBe(expected);
  });

  test("a namespace's service-only waypoint silently does not apply to pods", () => {
    const v = ambientView([ns('n', { 'istio.io/use-waypoint': 'svc-only' })], [gw('svc-only', 'n')], []);
    expect(bound(workloadBinding(v, pod('p', 'n')))).toBe('none');
    expect(bound(serviceBinding(v, svc('s', 'n')))).toBe('n/svc-only (namespace)');
  });

  test('the waypoint address prefers the hostname', () => {
    const b = serviceBinding(view, svc('s', 'app'));
    expect(b.kind === 'bound' && b.waypoint.address).toEqual({ hostname: 'waypoint.app.svc.cluster.local' });
  });
});

describe('ServiceEntry binding: the Service rules', () => {
  test.each([
    ['inherits the namespace waypoint', serviceEntry('e', 'app'), 'app/waypoint (namespace)'],
    [
      'its own label beats the namespace',
      serviceEntry('e', 'app', { 'istio.io/use-waypoint': 'svc-only' }),
      'app/svc-only (object)',
    ],
    ['none opts out of the namespace waypoint', serviceEntry('e', 'app', { 'istio.io/use-waypoint': 'none' }), 'none'],
    ['no label anywhere: none', serviceEntry('e', 'plain'), 'none'],
    [
      'a workload-only waypoint refuses it',
      serviceEntry('e', 'app', { 'istio.io/use-waypoint': 'wl-only' }),
      'UnsupportedTrafficType',
    ],
    [
      'cross-namespace needs allowedRoutes',
      serviceEntry('e', 'plain', { 'istio.io/use-waypoint': 'closed', 'istio.io/use-waypoint-namespace': 'shared' }),
      'AttachmentDenied',
    ],
  ])('%s', (_, e, expected) => {
    expect(bound(serviceBinding(view, e))).toBe(expected);
  });

  test('an inline endpoint or WorkloadEntry binds its workload traffic by its own labels, then the namespace', () => {
    const of = (labels: Record<string, string>, serviceAccount = '') =>
      bound(identityBinding(view, { namespace: 'app', labels, serviceAccount }));
    expect(of({})).toBe('app/waypoint (namespace)');
    expect(of({ 'istio.io/use-waypoint': 'none' })).toBe('none');
    expect(of({ 'istio.io/use-waypoint': 'wl-only' })).toBe('app/wl-only (object)');
    expect(of({}, 'sleep')).toBe('app/sleep-wp (service-account)');
    expect(of({ 'istio.io/use-waypoint': 'svc-only' })).toBe('UnsupportedTrafficType');
  });
});
