// The waypoint's one container, istio-proxy: pilot-agent started as a waypoint, which runs Envoy, gets its
// certificate from the CA and its configuration over xDS from the control plane, and reports ready on 15021.
import { envField, envFromMap, envResource, envValue, joinEnv } from '../env.ts';
import type { EnvVar } from '../env.ts';
import { valueAt } from '../values/tree.ts';
import { eastWestControllerLabel } from './input.ts';
import type { WaypointInput } from './input.ts';
import type { WaypointMeta } from './metadata.ts';
import { omitNil } from './omit-nil.ts';
import { istiodService, proxyConfigJson, proxyConfigOf, proxyMetadata } from './proxy-config.ts';

/** A string value, or undefined for anything else (Helm's values are untyped past what Ambit declares). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The Gateway's annotation when it has it (even empty), as istiod's `annotation` template function reads it. */
function annotation(input: WaypointInput, key: string, fallback: string): string {
  return input.gateway.metadata.annotations?.[key] ?? fallback;
}

function proxyValue(input: WaypointInput, key: string): unknown {
  return valueAt(input.values.global?.proxy, key);
}

/** An image given by annotation or global.proxy.image wins when it is a full reference (it holds a '/'). */
function image(input: WaypointInput): string {
  const named = annotation(input, 'sidecar.istio.io/proxyImage', text(proxyValue(input, 'image')) ?? '');
  return named.includes('/') ? named : input.proxyImage;
}

// Missing log levels take the istiod chart's defaults, which Ambit's values pipeline does not fill in.
function args(input: WaypointInput, meta: WaypointMeta): string[] {
  const global = input.values.global;
  const outlierLogPath = text(proxyValue(input, 'outlierLogPath'));
  return [
    'proxy',
    'waypoint',
    '--domain',
    `$(POD_NAMESPACE).svc.${input.clusterDomain}`,
    '--serviceCluster',
    `${meta.names.serviceAccount}.$(POD_NAMESPACE)`,
    '--proxyLogLevel',
    annotation(input, 'sidecar.istio.io/logLevel', text(proxyValue(input, 'logLevel')) ?? 'warning'),
    '--proxyComponentLogLevel',
    annotation(
      input,
      'sidecar.istio.io/componentLogLevel',
      text(proxyValue(input, 'componentLogLevel')) ?? 'misc:error',
    ),
    '--log_output_level',
    annotation(input, 'sidecar.istio.io/agentLogLevel', global?.logging?.level ?? 'default:info'),
    ...(global?.logAsJson === true ? ['--log_as_json'] : []),
    ...(outlierLogPath ? [`--outlierLogPath=${outlierLogPath}`] : []),
  ];
}

function env(input: WaypointInput, meta: WaypointMeta): EnvVar[] {
  const global = input.values.global;
  const proxyConfig = proxyConfigOf(input);
  // The template's: global.istioNamespace names the CA's namespace (the operator renders it as the revision's).
  const caNamespace = text(valueAt(global, 'istioNamespace')) ?? input.istioNamespace;
  const caAddress = text(valueAt(global, 'caAddress')) ?? `${istiodService(input)}.${caNamespace}.svc:15012`;
  const meshId = global?.meshID || input.trustDomain;
  const { deployment } = meta.names;
  return joinEnv(
    [
      envField('ISTIO_META_SERVICE_ACCOUNT', 'spec.serviceAccountName'),
      envField('ISTIO_META_NODE_NAME', 'spec.nodeName'),
      envValue('PILOT_CERT_PROVIDER', text(valueAt(global, 'pilotCertProvider')) ?? 'istiod'),
      envValue('CA_ADDR', caAddress),
      envField('POD_NAME', 'metadata.name'),
      envField('POD_NAMESPACE', 'metadata.namespace'),
      envField('INSTANCE_IP', 'status.podIP'),
      envField('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
      envField('HOST_IP', 'status.hostIP'),
      envResource('ISTIO_CPU_LIMIT', 'limits.cpu'),
      envValue('PROXY_CONFIG', proxyConfigJson(proxyConfig)),
    ],
    envFromMap(proxyMetadata(proxyConfig)),
    [
      envResource('GOMEMLIMIT', 'limits.memory'),
      envResource('GOMAXPROCS', 'limits.cpu'),
      envValue('ISTIO_META_CLUSTER_ID', text(valueAt(global?.multiCluster, 'clusterName')) ?? 'Kubernetes'),
      ...(meta.network ? [envValue('ISTIO_META_NETWORK', meta.network)] : []),
      // An east-west gateway asks for the endpoints of its own network only.
      ...(meta.network && meta.controllerLabel === eastWestControllerLabel
        ? [envValue('ISTIO_META_REQUESTED_NETWORK_VIEW', meta.network)]
        : []),
      envValue('ISTIO_META_INTERCEPTION_MODE', 'REDIRECT'),
      envValue('ISTIO_META_WORKLOAD_NAME', deployment),
      envValue('ISTIO_META_OWNER', `kubernetes://apis/apps/v1/namespaces/${meta.namespace}/deployments/${deployment}`),
      ...(meshId ? [envValue('ISTIO_META_MESH_ID', meshId)] : []),
      ...(input.trustDomain ? [envValue('TRUST_DOMAIN', input.trustDomain)] : []),
    ],
  );
}

const readiness = { path: '/healthz/ready', port: 15021, scheme: 'HTTP' };

function securityContext(input: WaypointInput): Record<string, unknown> {
  const seccompProfile = valueAt(input.values, 'gateways', 'seccompProfile');
  // The template's `if`: an empty map (the chart's default) is no profile.
  const profile = seccompProfile && Object.keys(seccompProfile).length > 0 ? omitNil(seccompProfile) : undefined;
  return {
    privileged: false,
    // OpenShift assigns the user and group from the namespace's range.
    ...(input.values.global?.platform === 'openshift' ? {} : { runAsGroup: 1337, runAsUser: 1337 }),
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    ...(profile ? { seccompProfile: profile } : {}),
  };
}

export function proxyContainer(input: WaypointInput, meta: WaypointMeta): Record<string, unknown> {
  const pullPolicy = input.values.global?.imagePullPolicy;
  const resources = omitNil(valueAt(input.values.global?.waypoint, 'resources'));
  return {
    name: 'istio-proxy',
    image: image(input),
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    args: args(input, meta),
    env: env(input, meta),
    // No 15008: HBONE reaches the pod through the Service port, whose targetPort defaults to it.
    ports: [
      { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
      { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
      { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
    ],
    ...(resources !== undefined && hasEntries(resources) ? { resources } : {}),
    startupProbe: {
      failureThreshold: 30,
      httpGet: { ...readiness },
      initialDelaySeconds: 1,
      periodSeconds: 1,
      successThreshold: 1,
      timeoutSeconds: 1,
    },
    readinessProbe: {
      failureThreshold: 4,
      httpGet: { ...readiness },
      initialDelaySeconds: 0,
      periodSeconds: 15,
      successThreshold: 1,
      timeoutSeconds: 1,
    },
    securityContext: securityContext(input),
    volumeMounts: [
      { mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' },
      { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
      { mountPath: '/var/lib/istio/data', name: 'istio-data' },
      { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
      { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
      { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
    ],
  };
}

function hasEntries(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
