// `ambit control-plane`: the control plane an IstioRevision installs (the istiod Deployment runs it), or a local
// process. Flags as the operator's renderer passes them.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient } from '../kube/api-client.ts';
import { createLogger } from '../kube/logger.ts';
import { parseAddress, UsageError } from '../cli/address.ts';
import { loadKubeConfig, stopOnSignals } from '../cli/process.ts';
import { version } from '../version.ts';
import { ControlPlaneManager } from './manager.ts';

export const controlPlaneHelp = `Usage: ambit control-plane [flags]

Runs the ambient control plane of one revision: the waypoint controller (Gateways of class istio-waypoint →
waypoint Deployments, Services and status).

Flags (environment variable in brackets):
  --namespace NS            the control plane's namespace (default istio-system) [POD_NAMESPACE]
  --revision REV            the revision it serves (default "default") [REVISION]
  --mesh-config-map NAME    ConfigMap with the mesh config under "mesh" (default istio)
  --values-config-map NAME  ConfigMap with the computed values under "merged-values" (default values)
  --kubeconfig PATH         kubeconfig [KUBECONFIG]; in a pod, the service account
  --http-address ADDR       host:port of /healthz, /readyz and /metrics (default 0.0.0.0:8080)
  --log-level LEVEL         error, warn, info or debug (default info) [LOG_LEVEL]
  --help                    this text
`;

export async function runControlPlane(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      namespace: { type: 'string' },
      revision: { type: 'string' },
      'mesh-config-map': { type: 'string', default: 'istio' },
      'values-config-map': { type: 'string', default: 'values' },
      kubeconfig: { type: 'string' },
      'http-address': { type: 'string', default: '0.0.0.0:8080' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (f.help) {
    process.stdout.write(controlPlaneHelp);
    return;
  }
  const log = createLogger(f['log-level'] ?? env['LOG_LEVEL'] ?? 'info', 'control-plane');
  const kc = loadKubeConfig(f.kubeconfig, env);
  const namespace = f.namespace ?? env['POD_NAMESPACE'] ?? 'istio-system';
  const revision = f.revision ?? env['REVISION'] ?? 'default';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(revision))
    throw new UsageError(`--revision "${revision}" is not a valid revision name`);
  const manager = new ControlPlaneManager(
    new ApiClient(kc, `ambit-control-plane/${version}`),
    {
      namespace,
      revision,
      meshConfigMap: f['mesh-config-map'],
      valuesConfigMap: f['values-config-map'],
      http: parseAddress('http-address', f['http-address']),
      identity: `${hostname()}-${process.pid}`,
    },
    log,
  );
  stopOnSignals(log, () => manager.stop());
  await manager.start();
  log.info('control plane running', { version, namespace, revision, port: manager.port });
}
