// The waypoint controller of `ambit control-plane` (a local process for a revision the operator installed): the
// GatewayClass, Gateways → ServiceAccount/Deployment/Service and status, the seeds' service-account waypoint,
// foreign objects left alone, overlays and their errors.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import { auditMark, writesSince } from './harness/audit.ts';
import { kubectl, kubectlJson } from './harness/cluster.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { condition, watchObject, watchUntil } from './harness/wait.ts';

const id = randomBytes(3).toString('hex');
const revision = `wp-${id}`;
const istioNs = `istio-wp-${id}`;

type Status = {
  addresses?: { type: string; value: string }[];
  listeners?: { name: string; conditions: { type: string; status: string; reason: string }[] }[];
};
const status = (o: KubeObject | undefined) => (o?.['status'] ?? {}) as Status;

function waypoint(
  name: string,
  ns: string,
  extra: { labels?: Record<string, string>; annotations?: Record<string, string>; spec?: object } = {},
) {
  return dump({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      name,
      namespace: ns,
      labels: { 'istio.io/rev': revision, ...extra.labels },
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      ...extra.spec,
    },
  });
}

/** A waypoint Gateway `name` whose parametersRef names the ConfigMap `options`, applied with that ConfigMap's data. */
async function overlaidWaypoint(name: string, ns: string, options: string, data: Record<string, string>) {
  await kubectl(['apply', '-f', '-'], {
    input: dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: options, namespace: ns }, data }),
  });
  await kubectl(['apply', '-f', '-'], {
    input: waypoint(name, ns, {
      spec: { infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: options } } },
    }),
  });
}

/** The waypoint Deployment exists (the controller made it) and is Available. */
async function available(ns: string, name: string): Promise<void> {
  await kubectl(['-n', ns, 'wait', '--for=create', `deployment/${name}`, '--timeout=60s']);
  await kubectl(['-n', ns, 'wait', '--for=condition=Available', `deployment/${name}`, '--timeout=60s']);
}

describe('waypoint controller', () => {
  let rev: TestRevision;
  let ns: string;
  beforeAll(async () => {
    rev = await startRevision(revision, istioNs);
    ns = `apps-${id}`;
    await rev.createNamespace(ns);
  });
  afterAll(async () => {
    await rev.remove(ns);
  });

  test('the istio-waypoint GatewayClass exists with controller istio.io/mesh-controller and is Accepted', async () => {
    const cls = await watchObject(
      resources.gatewayClass,
      'istio-waypoint',
      undefined,
      (o) => condition(o, 'Accepted')?.status === 'True',
    );
    expect(cls?.['spec']).toMatchObject({ controllerName: 'istio.io/mesh-controller' });
    expect(condition(cls, 'Accepted')?.message).toBe('Handled by Istio controller');
  });

  test('a service waypoint gets its ServiceAccount, Deployment and Service, becomes Programmed with both addresses, and goes with its Gateway', async () => {
    await kubectl(['apply', '-f', '-'], {
      input: waypoint('waypoint', ns, { labels: { 'istio.io/waypoint-for': 'service' } }),
    });
    await available(ns, 'waypoint');
    const gw = await watchObject(
      resources.gateway,
      'waypoint',
      ns,
      (o) => condition(o, 'Programmed')?.status === 'True',
    );
    const svc = await kubectlJson<{
      spec: { clusterIP: string; ports: { name: string; port: number; appProtocol?: string }[] };
    }>(['-n', ns, 'get', 'service', 'waypoint']);
    expect(status(gw).addresses).toEqual([
      { type: 'IPAddress', value: svc.spec.clusterIP },
      { type: 'Hostname', value: `waypoint.${ns}.svc.cluster.local` },
    ]);
    expect(svc.spec.ports.map((p) => [p.name, p.port, p.appProtocol])).toEqual([
      ['status-port', 15021, 'tcp'],
      ['mesh', 15008, 'hbone'],
    ]);
    const deploy = await kubectlJson<KubeObject>(['-n', ns, 'get', 'deployment', 'waypoint']);
    expect(deploy.metadata.labels).toMatchObject({
      'gateway.istio.io/managed': 'istio.io-mesh-controller',
      'gateway.networking.k8s.io/gateway-name': 'waypoint',
    });
    expect(deploy.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Gateway', name: 'waypoint' });
    expect(gw?.metadata.annotations?.['gateway.istio.io/controller-version']).toBe('5');
    await kubectl(['-n', ns, 'get', 'serviceaccount', 'waypoint']);

    await kubectl(['-n', ns, 'delete', 'gateway', 'waypoint']);
    await watchUntil(
      resources.deployment,
      { namespace: ns },
      (ds) => !ds.some((d) => d.metadata.name === 'waypoint'),
      60_000,
    );
    await watchUntil(
      resources.service,
      { namespace: ns },
      (ss) => !ss.some((s) => s.metadata.name === 'waypoint'),
      60_000,
    );
  });

  test("the seed's service-account waypoint (istio.io/for-service-account) is deployed like any waypoint", async () => {
    await kubectl(['apply', '-f', '-'], {
      input: waypoint('sleep-waypoint', ns, { annotations: { 'istio.io/for-service-account': 'sleep' } }),
    });
    await available(ns, 'sleep-waypoint');
    await watchObject(resources.gateway, 'sleep-waypoint', ns, (o) => condition(o, 'Programmed')?.status === 'True');
  });

  test('a foreign Service with the waypoint name is left untouched', async () => {
    await kubectl(['-n', ns, 'create', 'service', 'clusterip', 'foreign', '--tcp=80:8080']);
    const before = await kubectlJson<KubeObject>(['-n', ns, 'get', 'service', 'foreign']);
    await kubectl(['apply', '-f', '-'], { input: waypoint('foreign', ns) });
    await available(ns, 'foreign');
    const after = await kubectlJson<KubeObject>(['-n', ns, 'get', 'service', 'foreign']);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.metadata.labels?.['gateway.istio.io/managed']).toBeUndefined();
  });

  test('an overlay ConfigMap with replicas: 4 and an HPA produces them; a bad overlay key is reported', async () => {
    await overlaidWaypoint('tuned', ns, 'wp-options', {
      deployment: dump({ spec: { replicas: 4 } }),
      horizontalPodAutoscaler: dump({ spec: { minReplicas: 4, maxReplicas: 6 } }),
    });
    await watchObject(
      resources.deployment,
      'tuned',
      ns,
      (o) => (o?.['spec'] as { replicas?: number } | undefined)?.replicas === 4,
    );
    const hpa = await watchObject(resources.horizontalPodAutoscaler, 'tuned', ns, (o) => o !== undefined);
    expect(hpa?.['spec']).toMatchObject({
      minReplicas: 4,
      maxReplicas: 6,
      scaleTargetRef: { kind: 'Deployment', name: 'tuned' },
    });

    await overlaidWaypoint('broken', ns, 'bad-options', { daemonSet: '{}' });
    const broken = await watchObject(
      resources.gateway,
      'broken',
      ns,
      (o) => condition(o, 'Programmed')?.status === 'False' && condition(o, 'Programmed')?.reason === 'Invalid',
    );
    expect(condition(broken, 'Programmed')?.message).toMatch(/unsupported overlay/);
  });

  test('an overlay that breaks two objects: one status naming both, and writes that stop instead of a retry loop', async () => {
    const mark = await auditMark();
    await overlaidWaypoint('doubly-broken', ns, 'double-bad', {
      deployment: dump({ spec: { replicas: -1 } }),
      horizontalPodAutoscaler: dump({ spec: { minReplicas: 0, maxReplicas: 2 } }),
    });
    const broken = await watchObject(
      resources.gateway,
      'doubly-broken',
      ns,
      (o) => condition(o, 'Programmed')?.reason === 'Invalid',
    );
    // Both refusals, Deployment first (the apply order), whichever the API server answered first.
    expect(condition(broken, 'Programmed')?.message).toMatch(
      /deployments?.apps "doubly-broken".*; .*horizontalpodautoscalers?.autoscaling "doubly-broken"/i,
    );
    const ours = async () =>
      (await writesSince(mark, 'ambit-control-plane/')).filter((w) => w.endsWith(`${ns}/doubly-broken`));
    // What settles it (its ServiceAccount, Service and EndpointSlice appearing) wakes it a few times; then it is quiet.
    await new Promise((r) => setTimeout(r, 3_000));
    const settled = await ours();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await ours()).toEqual(settled);
    expect(settled.filter((w) => w.startsWith('patch gateways/status'))).toHaveLength(1);
    expect(settled.length).toBeLessThanOrEqual(16);

    // A restarted control plane finds the refused configuration in the Gateway's status: it writes nothing for it,
    // not even an Event.
    const restarted = await auditMark();
    await rev.restartControlPlane();
    await new Promise((r) => setTimeout(r, 3_000));
    const afterRestart = (await writesSince(restarted, 'ambit-control-plane/')).filter((w) =>
      w.includes('doubly-broken'),
    );
    expect(afterRestart).toEqual([]);
    expect(
      condition(await watchObject(resources.gateway, 'doubly-broken', ns, () => true), 'Programmed')?.message,
    ).toBe(condition(broken, 'Programmed')?.message);
  });

  test("a parametersRef to a ConfigMap that does not exist: Accepted=False InvalidParameters in istiod's words, until it appears", async () => {
    await kubectl(['apply', '-f', '-'], {
      input: waypoint('no-params', ns, {
        spec: { infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: 'no-params-options' } } },
      }),
    });
    const refused = await watchObject(
      resources.gateway,
      'no-params',
      ns,
      (o) => condition(o, 'Accepted')?.reason === 'InvalidParameters',
    );
    expect(condition(refused, 'Accepted')).toMatchObject({
      status: 'False',
      message: `parametersRef ConfigMap ${ns}/no-params-options does not exist`,
    });
    await kubectl(['create', 'configmap', 'no-params-options', '-n', ns]);
    await watchObject(resources.gateway, 'no-params', ns, (o) => condition(o, 'Accepted')?.status === 'True');
  });

  test('a listener other than one HBONE listener on 15008 is UnsupportedProtocol', async () => {
    await kubectl(['apply', '-f', '-'], {
      input: waypoint('http-listener', ns, { spec: { listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }] } }),
    });
    const gw = await watchObject(resources.gateway, 'http-listener', ns, (o) => (status(o).listeners?.length ?? 0) > 0);
    expect(status(gw).listeners?.[0]?.conditions.find((c) => c.type === 'Accepted')).toMatchObject({
      status: 'False',
      reason: 'UnsupportedProtocol',
    });
    expect(condition(gw, 'Accepted')?.status).toBe('True');
  });

  test('binding follows labels live: WaypointBound on the Service, and /debug/ambient shows the waypoint', async () => {
    const bind = `bind-${id}`;
    await rev.createNamespace(bind);
    await kubectl(['label', 'namespace', bind, 'istio.io/use-waypoint=ns-waypoint']);
    await kubectl(['-n', bind, 'create', 'service', 'clusterip', 'echo', '--tcp=80:8080']);
    const notReady = await watchObject(
      resources.service,
      'echo',
      bind,
      (o) => condition(o, 'istio.io/WaypointBound')?.reason === 'WaypointIsNotReady',
      15_000,
    );
    expect(condition(notReady, 'istio.io/WaypointBound')).toMatchObject({
      status: 'False',
      message: `waypoint "${bind}/ns-waypoint" is not ready`,
    });
    await kubectl(['apply', '-f', '-'], { input: waypoint('ns-waypoint', bind) });
    const bound = await watchObject(
      resources.service,
      'echo',
      bind,
      (o) => condition(o, 'istio.io/WaypointBound')?.status === 'True',
      60_000,
    );
    expect(condition(bound, 'istio.io/WaypointBound')).toMatchObject({
      reason: 'WaypointAccepted',
      message: `Successfully attached to waypoint ${bind}/ns-waypoint`,
    });
    const debug = (await (await fetch(`http://127.0.0.1:${rev.controlPlane.port}/debug/ambient`)).json()) as {
      services: { namespace: string; name: string; waypoint: string }[];
    };
    expect(debug.services).toContainEqual(
      expect.objectContaining({ namespace: bind, name: 'echo', waypoint: `${bind}/ns-waypoint` }),
    );
    // Opting the Service out removes the condition.
    await kubectl(['-n', bind, 'label', 'service', 'echo', 'istio.io/use-waypoint=none']);
    await watchObject(
      resources.service,
      'echo',
      bind,
      (o) => condition(o, 'istio.io/WaypointBound') === undefined,
      15_000,
    );
    await kubectl(['delete', 'namespace', bind, '--wait=false']);
  });

  test('precedence through the API server: pod, service-account, namespace and Service labels, traffic types, cross-namespace', async () => {
    const app = `prec-${id}`;
    const shared = `shared-${id}`;
    await rev.createNamespace(app, shared);
    await kubectl(['label', 'namespace', app, 'istio.io/use-waypoint=ns-wp']);
    await kubectl(['-n', app, 'create', 'serviceaccount', 'sleep']);
    const gateways = [
      waypoint('ns-wp', app, { labels: { 'istio.io/waypoint-for': 'all' } }),
      waypoint('sleep-wp', app, { annotations: { 'istio.io/for-service-account': 'sleep' } }),
      waypoint('wl-only', app, { labels: { 'istio.io/waypoint-for': 'workload' } }),
      waypoint('open', shared, {
        spec: {
          listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutes: { namespaces: { from: 'All' } } }],
        },
      }),
    ];
    await kubectl(['apply', '-f', '-'], { input: gateways.join('---\n') });
    for (const [n, g] of [
      [app, 'ns-wp'],
      [app, 'sleep-wp'],
      [app, 'wl-only'],
      [shared, 'open'],
    ] as const) {
      await watchObject(resources.gateway, g, n, (o) => (status(o).addresses?.length ?? 0) > 0, 60_000);
    }
    await kubectl([
      '-n',
      app,
      'run',
      'sleep',
      '--image=registry.invalid/sleep:1',
      '--overrides={"spec":{"serviceAccountName":"sleep"}}',
    ]);
    await kubectl(['-n', app, 'run', 'other', '--image=registry.invalid/other:1']);
    await kubectl(['-n', app, 'create', 'service', 'clusterip', 'echo', '--tcp=80:8080']);
    type Debug = {
      workloads: { namespace: string; name: string; waypoint: string }[];
      services: { namespace: string; name: string; waypoint: string }[];
    };
    // The debug endpoint reflects the caches: polled briefly (bounded) after each live label change.
    const expectBinding = async (kind: 'workloads' | 'services', name: string, want: string) => {
      const deadline = Date.now() + 10_000;
      let seen = '';
      while (Date.now() < deadline) {
        const debug = (await (await fetch(`http://127.0.0.1:${rev.controlPlane.port}/debug/ambient`)).json()) as Debug;
        seen = debug[kind].find((x) => x.namespace === app && x.name === name)?.waypoint ?? '(absent)';
        if (seen === want) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect({ name, waypoint: seen }).toEqual({ name, waypoint: want });
    };
    await expectBinding('workloads', 'sleep', `${app}/sleep-wp`);
    await expectBinding('workloads', 'other', `${app}/ns-wp`);
    await expectBinding('services', 'echo', `${app}/ns-wp`);
    await kubectl(['-n', app, 'label', 'pod', 'sleep', 'istio.io/use-waypoint=wl-only']);
    await expectBinding('workloads', 'sleep', `${app}/wl-only`);
    await kubectl(['-n', app, 'label', 'pod', 'sleep', 'istio.io/use-waypoint=none', '--overwrite']);
    await expectBinding('workloads', 'sleep', 'None');
    await kubectl(['-n', app, 'label', 'service', 'echo', 'istio.io/use-waypoint=wl-only']);
    const refused = await watchObject(
      resources.service,
      'echo',
      app,
      (o) => condition(o, 'istio.io/WaypointBound')?.reason === 'UnsupportedTrafficType',
      10_000,
    );
    expect(condition(refused, 'istio.io/WaypointBound')?.message).toBe(
      `attempting to bind to traffic type "service" which the waypoint "${app}/wl-only" does not support`,
    );
    await kubectl([
      '-n',
      app,
      'label',
      'service',
      'echo',
      'istio.io/use-waypoint=open',
      `istio.io/use-waypoint-namespace=${shared}`,
      '--overwrite',
    ]);
    await watchObject(
      resources.service,
      'echo',
      app,
      (o) => condition(o, 'istio.io/WaypointBound')?.message === `Successfully attached to waypoint ${shared}/open`,
      10_000,
    );
    await expectBinding('services', 'echo', `${shared}/open`);
    await kubectl(['delete', 'namespace', app, shared, '--wait=false']);
  });
});
