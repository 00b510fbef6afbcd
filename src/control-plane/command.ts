// `ambit control-plane`: the control plane an IstioRevision installs (the istiod Deployment runs it), or a local
// process. Flags as the operator's renderer passes them.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient } from '../kube/api-client.ts';
import { createLogger } from '../kube/logger.ts';
import { parseAddress, UsageError } from '../cli/address.ts';
import { loadKubeConfig, stopOnSignals } from '../cli/process.ts';
import { version } from '../cli/version.ts';
import { ControlPlaneManager } from './manager.ts';
import type { XdsListener } from '../xds/server/xds-server.ts';
import { parseGoDuration } from '../cli/duration.ts';
import type { CaSettings } from './xds.ts';

export const controlPlaneHelp = `Usage: ambit control-plane [flags]

Runs the ambient control plane of one revision: the waypoint controller (Gateways of class istio-waypoint →
waypoint Deployments, Services and status) and the xDS server (Envoy waypoints, proxyless gRPC, ztunnel's WDS).

Flags (environment variable in brackets):
  --namespace NS            the control plane's namespace (default istio-system) [POD_NAMESPACE]
  --revision REV            the revision it serves (default "default") [REVISION]
  --mesh-config-map NAME    ConfigMap with the mesh config under "mesh" (default istio)
  --values-config-map NAME  ConfigMap with the computed values under "merged-values" (default values)
  --kubeconfig PATH         kubeconfig [KUBECONFIG]; in a pod, the service account
  --http-address ADDR       host:port of /healthz, /readyz, /metrics and /debug/* (default 0.0.0.0:8080)
  --xds-address ADDR        host:port of plaintext xDS (default 0.0.0.0:15010; "off" for none)
  --xds-tls-address ADDR    host:port of xDS and the CA over TLS (default 0.0.0.0:15012; "off" for none), with a
                            certificate the CA issues for istiod[-REV].NS.svc unless the next two flags give one
  --xds-tls-cert FILE       PEM certificate chain for xDS over TLS (e.g. from a mounted Secret)
  --xds-tls-key FILE        its PEM private key
  --xds-auth BOOL           xDS callers must prove their identity — a service account token for audience istio-ca
                            or a client certificate from the mesh CA — and ask only for nodes of their own
                            namespace and service account (default true; false only for debugging) [XDS_AUTH]
  --xds-auth-plaintext BOOL the same on the plaintext listener (default true; false trusts any caller there, as
                            istiod does by default: only where that network is trusted) [XDS_AUTH_PLAINTEXT]
  --cluster-id ID           the cluster's name in workload identities (default Kubernetes) [CLUSTER_ID]
  --network NAME            the network of this cluster's workloads (default none) [NETWORK]
  --leader-elect BOOL       replicas elect one writer by the Lease ambit-control-plane-REV in NS; all serve xDS
                            and the CA (default true; false for a single local process)
  --log-level LEVEL         error, warn, info or debug (default info) [LOG_LEVEL]
  --help                    this text

The CA (istio.v1.auth.IstioCertificateService, on the xDS ports) signs with the \`cacerts\` Secret of NS when there is
one, else with a self-signed root kept in \`istio-ca-secret\`. Its environment, as istiod's:
  CA_TRUSTED_NODE_ACCOUNTS    ns/sa,... of node agents (ztunnel) that may ask for their pods' certificates
  DEFAULT_WORKLOAD_CERT_TTL   certificate lifetime when the request names none (default 24h)
  MAX_WORKLOAD_CERT_TTL       the longest lifetime granted (default 2160h)
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
      'xds-address': { type: 'string', default: '0.0.0.0:15010' },
      'xds-tls-address': { type: 'string', default: '0.0.0.0:15012' },
      'xds-tls-cert': { type: 'string' },
      'xds-tls-key': { type: 'string' },
      'cluster-id': { type: 'string' },
      network: { type: 'string' },
      'leader-elect': { type: 'string', default: 'true' },
      'xds-auth': { type: 'string' },
      'xds-auth-plaintext': { type: 'string' },
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
  const leaderElect = booleanFlag('leader-elect', f['leader-elect']);
  const manager = new ControlPlaneManager(
    new ApiClient(kc, `ambit-control-plane/${version}`),
    {
      namespace,
      revision,
      meshConfigMap: f['mesh-config-map'],
      valuesConfigMap: f['values-config-map'],
      http: parseAddress('http-address', f['http-address']),
      identity: `${hostname()}-${process.pid}`,
      leaderElection: leaderElect,
      xds: {
        ...xdsListeners(f),
        auth: {
          enabled: booleanFlag('xds-auth', f['xds-auth'] ?? env['XDS_AUTH'] ?? 'true'),
          plaintext: booleanFlag('xds-auth-plaintext', f['xds-auth-plaintext'] ?? env['XDS_AUTH_PLAINTEXT'] ?? 'true'),
        },
        ca: caSettings(env),
        clusterId: f['cluster-id'] ?? env['CLUSTER_ID'] ?? 'Kubernetes',
        network: f.network ?? env['NETWORK'] ?? '',
      },
    },
    log,
  );
  stopOnSignals(log, () => manager.stop());
  await manager.start((reason) => {
    log.error('fatal', { reason });
    process.exit(1);
  });
  log.info('control plane running', { version, namespace, revision, port: manager.port, xdsPorts: manager.xdsPorts });
}

/** true or false, as flags and istiod's boolean environment variables take them. */
function booleanFlag(name: string, value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`--${name} "${value}" is not true or false`);
}

/** The CA's settings from istiod's environment variables. */
function caSettings(env: NodeJS.ProcessEnv): CaSettings {
  const seconds = (name: string, fallback: string) => {
    try {
      return parseGoDuration(name, env[name] || fallback);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
  const accounts = (env['CA_TRUSTED_NODE_ACCOUNTS'] ?? '').split(',').map((a) => a.trim());
  const bad = accounts.find((a) => a !== '' && !/^[^/]+\/[^/]+$/.test(a));
  if (bad !== undefined)
    throw new UsageError(
      `CA_TRUSTED_NODE_ACCOUNTS: "${bad}" is not namespace/serviceaccount, e.g. istio-system/ztunnel`,
    );
  const defaultTtlSeconds = seconds('DEFAULT_WORKLOAD_CERT_TTL', '24h');
  const maxTtlSeconds = seconds('MAX_WORKLOAD_CERT_TTL', '2160h');
  if (defaultTtlSeconds > maxTtlSeconds)
    throw new UsageError(
      'DEFAULT_WORKLOAD_CERT_TTL is longer than MAX_WORKLOAD_CERT_TTL: shorten it or raise the maximum',
    );
  return { trustedNodeAccounts: accounts.filter((a) => a !== ''), defaultTtlSeconds, maxTtlSeconds };
}

/**
 * The plaintext listener unless "off"; the TLS one unless "off", with the given certificate and key (both or
 * neither), else with the CA's own.
 */
function xdsListeners(f: {
  'xds-address': string;
  'xds-tls-address': string;
  'xds-tls-cert'?: string | undefined;
  'xds-tls-key'?: string | undefined;
}): { listeners: XdsListener[]; caTlsListener?: { host: string; port: number } } {
  const listeners: XdsListener[] = [];
  if (f['xds-address'] !== 'off') listeners.push(parseAddress('xds-address', f['xds-address']));
  const cert = f['xds-tls-cert'];
  const key = f['xds-tls-key'];
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--xds-tls-cert and --xds-tls-key go together: give both files, or neither');
  if (f['xds-tls-address'] === 'off') {
    if (cert !== undefined) throw new UsageError('--xds-tls-cert is given but --xds-tls-address is off');
    return { listeners };
  }
  if (cert === undefined || key === undefined)
    return { listeners, caTlsListener: parseAddress('xds-tls-address', f['xds-tls-address']) };
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new UsageError(`--${flag} ${file}: ${(err as Error).message}`);
    }
  };
  listeners.push({
    ...parseAddress('xds-tls-address', f['xds-tls-address']),
    tls: { certChain: read('xds-tls-cert', cert), privateKey: read('xds-tls-key', key) },
  });
  return { listeners };
}
