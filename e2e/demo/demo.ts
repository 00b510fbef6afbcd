// `make demo`: the local cluster, the CRDs, the operator as a local process, then the OpenShift Service Mesh ambient
// procedure (namespaces, istio.yaml, istio-cni.yaml, ztunnel.yaml) until all three are Ready. Everything keeps
// running afterwards; `make cluster-down` stops it.
import { resolve } from 'node:path';
import { execa } from 'execa';
import { clusterEnv } from '../cluster/environment.ts';
import { isAlive } from '../cluster/processes.ts';
import { readState } from '../cluster/state.ts';
import { startControlPlane } from '../harness/control-plane.ts';
import { startOperator } from '../harness/operator.ts';

const runDir = resolve(process.env['AMBIT_RUN_DIR'] ?? '.run/cluster');
const state = await readState(runDir);
const kubectl = (...args: string[]) =>
  execa('kubectl', args, { env: clusterEnv(state), stdout: 'inherit', stderr: 'inherit' });

await kubectl('apply', '-f', 'crds/');
await kubectl('wait', '--for=condition=Established', '-f', 'crds/', '--timeout=60s');
const running = state.processes.find((p) => p.name === 'operator' && isAlive(p.pid));
if (running) console.log(`operator already running (pid ${running.pid})`);
else {
  const op = await startOperator(state);
  console.log(`operator running: pid ${op.pid}, log ${op.logFile}, metrics http://127.0.0.1:${op.metricsPort}/metrics`);
}
for (const ns of ['istio-system', 'istio-cni', 'ztunnel']) {
  await execa('kubectl', ['create', 'namespace', ns], { env: clusterEnv(state), reject: false });
}
const started = Date.now();
await kubectl(
  'apply',
  '-f',
  'config/samples/istio.yaml',
  '-f',
  'config/samples/istio-cni.yaml',
  '-f',
  'config/samples/ztunnel.yaml',
);
await kubectl('wait', '--for=condition=Ready', 'istios/default', 'istiocni/default', 'ztunnel/default', '--timeout=3m');
console.log(`\nall Ready ${Date.now() - started} ms after kubectl apply\n`);
// The istiod pod is KWOK's and runs nothing: the control plane runs beside it as a local process.
if (!state.processes.some((p) => p.name === 'control-plane-istio-system' && isAlive(p.pid))) {
  const cp = await startControlPlane(state, 'istio-system', 'default');
  console.log(`control plane running: pid ${cp.pid}, log ${cp.logFile}, http://127.0.0.1:${cp.port}/debug/ambient\n`);
}
await kubectl('get', 'istio,istiocni,ztunnel');
console.log();
await kubectl('get', 'pods', '-n', 'istio-system');
await kubectl('get', 'pods', '-n', 'istio-cni');
await kubectl('get', 'pods', '-n', 'ztunnel');
console.log(`\nuse the cluster with: source ${runDir}/env.sh   (make cluster-down stops everything)`);
