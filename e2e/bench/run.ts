// `make bench`: every benchmark in order, printing numbers (never asserted: timing belongs here, not in tests).
// AMBIT_BENCH=waypoints,runtime (comma-separated names) runs only those.
import { benchClusterStart } from './cluster-start.ts';
import { benchOperator } from './operator.ts';
import { print, type Report } from './report.ts';
import { benchWaypoints } from './waypoints.ts';
import { benchWaypointRuntime } from './waypoint-runtime.ts';
import { benchXds } from './xds.ts';
import { benchXdsSoak } from './xds-soak.ts';

const benches: Record<string, () => Promise<Report>> = {
  cluster: () => benchClusterStart(Number(process.env['AMBIT_BENCH_RUNS'] ?? 3)),
  operator: () => benchOperator(),
  waypoints: () => benchWaypoints(),
  xds: () => benchXds(),
  soak: () => benchXdsSoak(),
  runtime: () => benchWaypointRuntime(),
};
const only = process.env['AMBIT_BENCH']?.split(',').filter(Boolean);
for (const [name, bench] of Object.entries(benches)) {
  if (only && !only.includes(name)) continue;
  print(await bench());
}
