// The waypoint's ProxyConfig, as the PROXY_CONFIG env var carries it to pilot-agent: the caller's (mesh defaultConfig
// with ProxyConfig resources applied) or the revision's defaultConfig, without the fields pilot-agent defaults anyway.
import { controlPlaneNames } from '../control-plane-names.ts';
import { meshConfig } from '../mesh-config.ts';
import { deepCopy, isTree } from '../values/tree.ts';
import type { Tree } from '../values/tree.ts';
import { sortedKeys } from '../yaml.ts';
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

// ProxyConfig's fields in their order in istio.io/api's mesh/v1alpha1/proxy.proto: istiod writes PROXY_CONFIG with
// protojson, which keeps that order, so the same config is the same text (a different text would re-roll the pods).
const fieldOrder = [
  ...['configPath', 'binaryPath', 'serviceCluster', 'tracingServiceName', 'drainDuration', 'discoveryAddress'],
  ...['discoveryRefreshDelay', 'zipkinAddress', 'statsdUdpAddress', 'envoyMetricsServiceAddress', 'proxyAdminPort'],
  ...['availabilityZone', 'controlPlaneAuthPolicy', 'customConfigFile', 'statNameLength', 'concurrency'],
  ...['proxyBootstrapTemplatePath', 'interceptionMode', 'tracing', 'sds', 'envoyAccessLogService'],
  ...['envoyMetricsService', 'proxyMetadata', 'runtimeValues', 'statusPort', 'extraStatTags', 'gatewayTopology'],
  ...['terminationDrainDuration', 'meshId', 'readinessProbe', 'proxyStatsMatcher', 'holdApplicationUntilProxyStarts'],
  ...['caCertificatesPem', 'image', 'privateKeyProvider', 'proxyHeaders', 'fileFlushInterval', 'fileFlushMinSizeKb'],
  ...['statsCompression', 'connectionSettings'],
];

// The zero values of ProxyConfig's enums, which protojson leaves out as it does empty strings and zero numbers.
const enumZeros: Tree = {
  tracingServiceName: 'APP_LABEL_AND_NAMESPACE',
  controlPlaneAuthPolicy: 'NONE',
  interceptionMode: 'REDIRECT',
};

/** Whether protojson writes the field: set, not a proto3 zero value, not empty. */
function written(key: string, value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || enumZeros[key] === value) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (key === 'proxyMetadata' || key === 'runtimeValues') return isTree(value) && Object.keys(value).length > 0;
  return true;
}

const rank = (key: string) => {
  const i = fieldOrder.indexOf(key);
  return i < 0 ? fieldOrder.length : i;
};

/**
 * PROXY_CONFIG's value: one line of JSON as istiod's template writes it (and the newline it ends it with); the keys of
 * nested values sorted, as protojson sorts map keys.
 */
export function proxyConfigJson(config: Tree): string {
  const cleaned = Object.entries(config)
    .filter(([key, value]) => written(key, value) && agentDefaults[key] !== value)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => [key, sortedKeys(value)]);
  return `${JSON.stringify(Object.fromEntries(cleaned))}\n`;
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
