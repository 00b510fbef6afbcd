// `ambit operator`: flags and environment, then the manager until SIGTERM/SIGINT.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient } from '../kube/api-client.ts';
import { createLogger } from '../kube/logger.ts';
import { parseAddress, UsageError } from '../cli/address.ts';
import { loadKubeConfig, stopOnSignals } from '../cli/process.ts';
import { version } from '../cli/version.ts';
import type { Platform } from '../render/values/types.ts';
import { OperatorManager } from './manager.ts';

export const operatorHelp = `Usage: ambit operator [flags]

Runs the operator: reconciles sailoperator.io Istio, IstioRevision, IstioCNI and ZTunnel resources.

Flags (environment variable in brackets):
  --kubeconfig PATH                  kubeconfig to use [KUBECONFIG]; in a pod, the service account
  --namespace NS                     namespace of the operator, for its leader-election Lease [POD_NAMESPACE]
  --leader-elect BOOL                elect a leader so only one replica reconciles (default true) [AMBIT_LEADER_ELECT]
  --health-probe-bind-address ADDR   host:port of /healthz and /readyz (default 127.0.0.1:8081)
  --metrics-bind-address ADDR        host:port of /metrics, "0" to serve it on the probe port only (default 127.0.0.1:8080)
  --control-plane-image IMAGE        image the istiod Deployments run (default ambit/ambit:${version}) [AMBIT_CONTROL_PLANE_IMAGE]
  --managed-by VALUE                 value of the managed-by label on rendered objects (default ambit-operator)
  --platform kubernetes|openshift    skip detection of the platform [AMBIT_PLATFORM]
  --max-concurrent-reconciles N      workers per controller (default 1)
  --log-level LEVEL                  error, warn, info or debug (default info) [LOG_LEVEL]
  --help                             this text
`;

async function detectPlatform(api: ApiClient): Promise<Platform> {
  try {
    await api.request({ method: 'GET', path: '/apis/config.openshift.io/v1' });
    return 'openshift';
  } catch {
    return 'kubernetes';
  }
}

export async function runOperator(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      'leader-elect': { type: 'string' },
      'health-probe-bind-address': { type: 'string', default: '127.0.0.1:8081' },
      'metrics-bind-address': { type: 'string', default: '127.0.0.1:8080' },
      'control-plane-image': { type: 'string' },
      'managed-by': { type: 'string', default: 'ambit-operator' },
      platform: { type: 'string' },
      'max-concurrent-reconciles': { type: 'string', default: '1' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (f.help) {
    process.stdout.write(operatorHelp);
    return;
  }
  const log = createLogger(f['log-level'] ?? env['LOG_LEVEL'] ?? 'info', 'operator');
  const kc = loadKubeConfig(f.kubeconfig, env);
  const api = new ApiClient(kc, `ambit-operator/${version}`);
  const leaderElect = (f['leader-elect'] ?? env['AMBIT_LEADER_ELECT'] ?? 'true') !== 'false';
  const namespace = f.namespace ?? env['POD_NAMESPACE'];
  if (leaderElect && !namespace)
    throw new UsageError(
      'leader election needs the operator namespace: set --namespace or POD_NAMESPACE (or --leader-elect=false)',
    );
  const workers = Number(f['max-concurrent-reconciles']);
  if (!Number.isInteger(workers) || workers < 1)
    throw new UsageError('--max-concurrent-reconciles must be a positive integer');
  const platformFlag = f.platform ?? env['AMBIT_PLATFORM'];
  if (platformFlag !== undefined && platformFlag !== 'kubernetes' && platformFlag !== 'openshift') {
    throw new UsageError(`--platform "${platformFlag}" must be kubernetes or openshift`);
  }
  const metrics = f['metrics-bind-address'];
  const manager = new OperatorManager(
    api,
    {
      settings: {
        managedBy: f['managed-by'],
        controlPlaneImage: f['control-plane-image'] ?? env['AMBIT_CONTROL_PLANE_IMAGE'] ?? `ambit/ambit:${version}`,
        platform: platformFlag ?? (await detectPlatform(api)),
      },
      probeAddress: parseAddress('health-probe-bind-address', f['health-probe-bind-address']),
      ...(metrics === '0' ? {} : { metricsAddress: parseAddress('metrics-bind-address', metrics) }),
      ...(leaderElect && namespace ? { leaderElection: { namespace, identity: `${hostname()}-${process.pid}` } } : {}),
      workers,
    },
    log,
  );
  stopOnSignals(log, () => manager.stop());
  await manager.start((reason) => {
    log.error('fatal', { reason });
    process.exit(1);
  });
  log.info('operator running', { version, ports: manager.ports });
}
