// The xDS server under hostile clients, without a cluster: 5,000 short streams in batches, each one of three kinds —
// a 20 KB node id (refused), a waypoint under a made-up name and IP that asks for garbage types and real ones, and a
// ztunnel asking for addresses that do not exist — then heap, RSS and log volume before and after. What one client
// costs must go with its stream: the growth should be flat.
import { fork, type ChildProcess } from 'node:child_process';
import { AdsTestClient } from '../../src/testing/ads-client.ts';
import { typeUrls } from '../../src/xds/proto/protos.ts';
import type { Report } from './report.ts';
import type { SoakServerReport } from './xds-soak-server.ts';

const cycles = 5_000;
const batch = 50;

/** One hostile stream: opens, sends what its kind sends, waits for the server's answer or refusal, ends. */
async function cycle(address: string, i: number): Promise<void> {
  const kind = i % 3;
  const name = `p${String(i)}-${'x'.repeat(40)}`;
  const id =
    kind === 0
      ? `waypoint~127.0.0.1~${'n'.repeat(20_000)}.ns~ns.svc.cluster.local`
      : kind === 1
        ? `waypoint~127.0.${String(i % 250)}.${String(i % 200)}~${name}.ns-${String(i)}~ns-${String(i)}.svc.cluster.local`
        : `ztunnel~127.0.0.1~${name}.istio-system~istio-system.svc.cluster.local`;
  const client = new AdsTestClient(address, { id });
  const s = client.delta();
  try {
    if (kind === 2) {
      s.send({ typeUrl: typeUrls.address, resourceNamesSubscribe: [`/127.9.${String(i % 250)}.1`, `garbage-${name}`] });
    } else {
      for (let t = 0; t < 3; t++) s.send({ typeUrl: `type.googleapis.com/garbage.${name}.T${String(t)}` });
      s.send({ typeUrl: typeUrls.listener });
    }
    await s.next(5_000).catch(() => undefined);
  } finally {
    s.end();
    client.close();
  }
}

/** Asks the server process for its memory and log volume (after a GC there). */
function report(child: ChildProcess): Promise<SoakServerReport> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as SoakServerReport));
    child.send('report');
  });
}

export async function benchXdsSoak(): Promise<Report> {
  const child = fork(new URL('./xds-soak-server.ts', import.meta.url), { execArgv: ['--expose-gc'] });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    child.once('message', (m) => resolve(m as { port: number })),
  );
  const address = `127.0.0.1:${String(port)}`;
  const run = async (from: number, to: number) => {
    for (let i = from; i < to; i += batch)
      await Promise.all(Array.from({ length: Math.min(batch, to - i) }, (_, k) => cycle(address, i + k)));
  };
  try {
    await run(0, 500); // warm-up: code paths, encodings and pools allocated once
    const before = await report(child);
    const t0 = performance.now();
    await run(500, 500 + cycles / 2);
    const half = await report(child);
    await run(500 + cycles / 2, 500 + cycles);
    const seconds = (performance.now() - t0) / 1000;
    let after = await report(child);
    for (let i = 0; i < 100 && after.open > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await report(child);
    }
    return {
      title: 'xDS server under hostile clients (soak; the server in its own process)',
      rows: [
        `${String(cycles)} streams (20 KB ids, made-up waypoints asking for garbage types, ztunnel asking for nothing that exists) in ${seconds.toFixed(1)} s; open afterwards: ${String(after.open)}`,
        `server heap in use after GC, after the warm-up → half → all   ${before.heapMb.toFixed(1)} → ${half.heapMb.toFixed(1)} → ${after.heapMb.toFixed(1)} MB   RSS ${before.rssMb.toFixed(0)} → ${half.rssMb.toFixed(0)} → ${after.rssMb.toFixed(0)} MB`,
        `server log   ${((after.logBytes - before.logBytes) / 1024).toFixed(0)} KB for the ${String(cycles)} streams (${(before.logBytes / 1024).toFixed(0)} KB for the 500 of the warm-up; lines about one peer are rate-limited)`,
      ],
    };
  } finally {
    child.send('stop');
  }
}
