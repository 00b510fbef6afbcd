// The waypoint's ProxyConfig, as the PROXY_CONFIG env var carries it to pilot-agent: the caller's (mesh defaultConfig
// with ProxyConfig resources applied) or the revision's defaultConfig, without the fields pilot-agent defaults anyway.
import { controlPlaneNames } from '../control-plane-names.ts';
import { meshConfig } from '../mesh-config.ts';
import { deepCopy, isTree } from '../values/tree.ts';
import type { Tree } from '../values/tree.ts';
import { configJson } from '../yaml.ts';
import type { WaypointInput } from './input.ts';

/** The suffix of the revision's istiod Service: values.revision when set, else the revision unless it is default. */
export function istiodService(input: WaypointInput): string {
  const revision = input.values.revision ?? (input.revision === 'default' ? '' : input.revision);
  return controlPlaneNames(revision, input.istioNamespace).istiod;
}

export function proxyConfigOf(input: WaypointInput): Tree {
  if (input.proxyConfig) return deepCopy(input.proxyConfig);
  const mesh = meshConfig({ values: input.values, namespace: input.istioNamespace, serviceName: istiodService(input) });
  const config = mesh.defaultConfig;
  return isTree(config) ? deepCopy(config) : {};
}

// pilot-agent's own defaults (mesh.DefaultProxyConfig): istiod leaves them out to keep the pod spec small.
const agentDefaults: Tree = {
  configPath: './etc/istio/proxy',
  binaryPath: '/usr/local/bin/envoy',
  controlPlaneAuthPolicy: 'MUTUAL_TLS',
  serviceCluster: 'istio-proxy',
  drainDuration: '45s',
  terminationDrainDuration: '5s',
  discoveryAddress: 'istiod.istio-system.svc:15012',
  proxyAdminPort: 15000,
  statNameLength: 189,
  statusPort: 15020,
};

/** PROXY_CONFIG's value: one line of JSON with sorted keys (and the newline istiod's template ends it with). */
export function proxyConfigJson(config: Tree): string {
  const cleaned = Object.fromEntries(
    Object.entries(config).filter(([key, value]) => {
      if (value === null || value === undefined) return false;
      if (key === 'proxyMetadata') return isTree(value) && Object.keys(value).length > 0;
      return agentDefaults[key] !== value;
    }),
  );
  return `${JSON.stringify(JSON.parse(configJson(cleaned)))}\n`;
}

/** ProxyConfig.proxyMetadata: env vars istiod sets on the proxy beside PROXY_CONFIG. */
export function proxyMetadata(config: Tree): Record<string, string> {
  const metadata = config['proxyMetadata'];
  if (!isTree(metadata)) return {};
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, scalarText(value)]));
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
