// The xDS server without a cluster: full generation for a mesh of 1,000 Services, 10,000 endpoints and 100
// waypoints (time and memory), then 100 waypoint clients connected over delta ADS and the latency from one endpoint
// change to the update at the waypoint that serves it, and how many clients that change reached (istiod pushed all).
import { createLogger } from '../../src/kube/logger.ts';
import { anonymousCallers } from '../../src/testing/anonymous-callers.ts';
import type { Service, Waypoint } from '../../src/xds/model/model.ts';
import { syntheticMesh } from '../../src/testing/synthetic-mesh.ts';
import { protoRoot, typeUrls } from '../../src/xds/proto/protos.ts';
import { MeshResources } from '../../src/xds/source.ts';
import { XdsServer } from '../../src/xds/server/xds-server.ts';
import { AdsTestClient, type DeltaTestStream } from '../../src/testing/ads-client.ts';
import { percentile, type Report } from './report.ts';

const memoryMb = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 };
};

export async function benchXds(): Promise<Report> {
  const model = syntheticMesh();
  protoRoot(); // loading the protos (once per process) is not generation
  const before = memoryMb();
  const t0 = performance.now();
  const source = new MeshResources(model);
  const node = (w: Waypoint) => ({
    id: `waypoint~10.0.0.1~${w.name}-5d8f7c9b4-x2x7q.${w.namespace}~${w.namespace}.svc.cluster.local`,
    metadata: { WORKLOAD_NAME: w.name },
  });
  const proxies = model.waypoints.map((w) => ({
    id: node(w).id,
    type: 'waypoint' as const,
    ip: '10.0.0.1',
    name: `${w.name}-5d8f7c9b4-x2x7q`,
    namespace: w.namespace,
    metadata: node(w).metadata,
    generator: 'waypoint' as const,
  }));
  let bytes = 0;
  for (const p of proxies)
    for (const t of source.typesFor(p))
      for (const r of source.resources(p, t, undefined).values()) bytes += r.body.length;
  const fullMs = performance.now() - t0;
  const after = memoryMb();

  const server = new XdsServer(source, { listeners: [{ host: '127.0.0.1', port: 0 }] }, createLogger('error'));
  const [port] = await server.start({ authenticate: anonymousCallers });
  const clients = model.waypoints.map((w) => new AdsTestClient(`127.0.0.1:${String(port)}`, node(w)));
  const streams: DeltaTestStream[] = [];
  const t1 = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      const s = c.delta();
      streams.push(s);
      for (const typeUrl of [typeUrls.cluster, typeUrls.endpoint, typeUrls.listener]) {
        s.send({ typeUrl });
        const r = await s.next(30_000);
        s.send({ typeUrl, responseNonce: r.nonce });
      }
    }),
  );
  const connectMs = performance.now() - t1;

  // One endpoint changes per round; the waypoint serving that Service must get an EDS update.
  const latencies: number[] = [];
  let reached = 0;
  const rounds = 20;
  let current = model;
  for (let round = 0; round < rounds; round++) {
    const index = (round * 37) % current.services.length;
    const services = current.services.map((s, i) =>
      i === index ? { ...s, endpoints: s.endpoints.map((e, j) => (j === 0 ? { ...e, ready: !e.ready } : e)) } : s,
    );
    current = { ...current, services };
    const svc = services[index] as Service;
    const target = model.waypoints.findIndex((w) => w.name === svc.waypoint?.name && w.namespace === svc.namespace);
    const stream = streams[target] as DeltaTestStream;
    for (const s of streams) s.inbox.drain();
    const start = performance.now();
    source.update(current);
    server.pushAll();
    const r = await stream.next(10_000);
    latencies.push(performance.now() - start);
    stream.send({ typeUrl: r.typeUrl, responseNonce: r.nonce });
    // How many clients got anything for this change.
    const got = await Promise.all(streams.map(async (s) => (s === stream ? true : !(await s.inbox.quiet(50)))));
    reached += got.filter(Boolean).length;
  }
  for (const s of streams) s.end();
  for (const c of clients) c.close();
  await server.stop();
  return {
    title: "xDS server (istiod's numbers: istio-waypoint.md §9.1)",
    rows: [
      `full generation + encoding, 1,000 Services / 10,000 endpoints / 100 waypoints   ${fullMs.toFixed(0)} ms, ${(bytes / 2 ** 20).toFixed(1)} MB of resources; heap in use ${before.heap.toFixed(0)} → ${after.heap.toFixed(0)} MB, RSS ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MB (istiod RSS 126 → 236 MB with the mesh)`,
      `100 waypoint clients connect and sync CDS+EDS+LDS (delta)   ${connectMs.toFixed(0)} ms   (istiod 255 ms for 100, limiter off)`,
      `one endpoint change → EDS update at its waypoint (100 connected)   p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms   (istiod p50 140 ms)`,
      `clients reached per endpoint change   ${(reached / rounds).toFixed(1)} of 100   (istiod: all 100)`,
    ],
  };
}
