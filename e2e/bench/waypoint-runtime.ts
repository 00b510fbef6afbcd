// The real waypoint runtime on a fresh cluster (pilot-agent + upstream Envoy, as e2e/waypoint-agent.e2e.ts runs
// them): Gateway created → the agent of its pod ready (the agent started as soon as the pod is scheduled, as the
// kubelet would); an HTTPRoute change → traffic switched, over 50 changes; CSR → certificate at the CA over TLS.
// Needs the isolated network `make bench` runs in (pilot-agent binds every interface).
import { useCluster } from '../harness/cluster.ts';
import { CaClient, newCsr, requestCertificate, serviceAccountToken } from '../harness/ca-client.ts';
import { echoRoute, helloFrom, startEchoMesh, type EchoVersion } from '../harness/echo-mesh.ts';
import { startWaypointAgent, type WaypointAgent } from '../harness/pilot-agent.ts';
import { until } from '../harness/until.ts';
import { percentile, type Report } from './report.ts';
import { startBenchMesh } from './mesh-cluster.ts';

const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function benchWaypointRuntime(gateways = 5, routeChanges = 50, csrs = 100): Promise<Report> {
  const { state, client, kubectl, controlPlane: cp, stop } = await startBenchMesh();
  useCluster(state);
  const agents: WaypointAgent[] = [];
  try {
    const ns = 'runtime';
    await client.create(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio.io/use-waypoint': 'wp-0' } } },
      'ambit-bench',
    );
    const tls = { root: '', san: cp.san };
    const caAddress = `127.0.0.1:${String(cp.tlsPort)}`;
    tls.root = await until(
      () =>
        kubectl(['-n', ns, 'get', 'configmap', 'istio-ca-root-cert', '-o', 'jsonpath={.data.root-cert\\.pem}']).then(
          (r) => r.stdout,
          () => '',
        ),
      (r) => r.includes('BEGIN CERTIFICATE'),
      'the root ConfigMap',
    );
    const certificateFor = async (sa: string) =>
      requestCertificate({ address: caAddress, tls, token: await serviceAccountToken(ns, sa) });

    // Gateway created → agent ready, one at a time.
    const toReady: number[] = [];
    for (let i = 0; i < gateways; i++) {
      const t0 = performance.now();
      await client.create(
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: `wp-${i}`, namespace: ns },
          spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
        },
        'ambit-bench',
      );
      const agent = await startWaypointAgent(state, {
        namespace: ns,
        gateway: `wp-${i}`,
        instanceIp: `127.0.10.${String(i + 1)}`,
        controlPlane: { address: caAddress, san: cp.san },
      });
      agents.push(agent);
      await agent.ready(60_000);
      toReady.push(performance.now() - t0);
    }

    // Route change → traffic switched, through wp-0 (the namespace's waypoint).
    await kubectl(['-n', ns, 'create', 'serviceaccount', 'sleep']);
    const mesh = await startEchoMesh({
      namespace: ns,
      addresses: { v1: '127.0.20.1', v2: '127.0.20.2' },
      root: tls.root,
      certificateFor,
    });
    const sleep = await certificateFor('sleep');
    const waypoint = `${agents[0]?.instanceIp ?? ''}:15008`;
    const toSwitched: number[] = [];
    let unanswered = 0;
    try {
      for (let i = 0; i <= routeChanges; i++) {
        const version: EchoVersion = i % 2 === 0 ? 'v1' : 'v2';
        await client.apply(
          echoRoute(ns, [{ backendRefs: [{ name: `echo-${version}`, port: 80 }] }]),
          'ambit-bench',
          true,
        );
        const t0 = performance.now();
        await until(
          async () => {
            // A request caught in a configuration update must still be answered: one that is not within 1 s counts.
            const r = await mesh.send(waypoint, sleep, '/', 1_000);
            if (r.connect === 0) unanswered++;
            return r;
          },
          (r) => r.body === helloFrom(version),
          `traffic to echo-${version}`,
          10_000,
        );
        // The first apply creates the route from nothing: not a change.
        if (i > 0) toSwitched.push(performance.now() - t0);
      }
    } finally {
      await mesh.close();
    }

    // CSR → certificate, on one TLS connection with one token.
    const ca = new CaClient(caAddress, tls);
    const token = await serviceAccountToken(ns, 'sleep');
    const toIssued: number[] = [];
    try {
      for (let i = 0; i < csrs; i++) {
        const { csr } = await newCsr();
        const t0 = performance.now();
        await ca.create(csr, { token });
        toIssued.push(performance.now() - t0);
      }
    } finally {
      ca.close();
    }
    return {
      title: 'the real waypoint runtime: pilot-agent + upstream Envoy, configured by Ambit',
      rows: [
        `Gateway created → waypoint agent ready (${gateways}, one at a time)   p50 ${ms(percentile(toReady, 50))}, max ${ms(Math.max(...toReady))}`,
        `HTTPRoute change → traffic switched (${routeChanges} changes)      p50 ${ms(percentile(toSwitched, 50))}, p99 ${ms(percentile(toSwitched, 99))}; requests unanswered meanwhile ${String(unanswered)}`,
        `CSR → certificate over TLS, TokenReview included (${csrs})    p50 ${ms(percentile(toIssued, 50))}, p99 ${ms(percentile(toIssued, 99))}`,
      ],
    };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await stop();
  }
}
