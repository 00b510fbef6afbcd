// `make bench`: every benchmark in order, printing numbers (never asserted: timing belongs here, not in tests).
import { benchClusterStart } from './cluster-start.ts';
import { benchOperator } from './operator.ts';
import { print } from './report.ts';
import { benchWaypoints } from './waypoints.ts';

print(await benchClusterStart(Number(process.env['AMBIT_BENCH_RUNS'] ?? 3)));
print(await benchOperator());
print(await benchWaypoints());
