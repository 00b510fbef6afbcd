// The control plane's Deployment: `ambit control-plane` from the operator's own image, with istiod's labels, ports,
// probe and environment so ztunnel, proxies and tools find it where they find istiod.
import type { Values } from '../api/values.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { RenderContext } from './context.ts';
import { compact, istioLabels, listOf, nonEmpty, nonEmptyMap, objectMeta } from './context.ts';
import type { ControlPlaneNames } from './control-plane-names.ts';
import { envField, envFromMap, envValue, joinEnv } from './env.ts';
import type { EnvVar } from './env.ts';
import { ambitLogLevel } from './log-level.ts';

export interface ControlPlaneDeploymentInput {
  namespace: string;
  /** The chart view of the revision's values (controlPlaneChartValues). */
  values: Values;
  image: string;
  names: ControlPlaneNames;
  /** Labels of every control plane object. */
  labels: Record<string, string>;
}

/** The ports `ambit control-plane` listens on; the Service exposes all but the debug port. */
export const controlPlanePorts = [
  { containerPort: 8080, name: 'http-debug', protocol: 'TCP' },
  { containerPort: 15010, name: 'grpc-xds', protocol: 'TCP' },
  { containerPort: 15012, name: 'tls-xds', protocol: 'TCP' },
  { containerPort: 15017, name: 'https-webhooks', protocol: 'TCP' },
  { containerPort: 15014, name: 'http-monitoring', protocol: 'TCP' },
];

function controlPlaneEnv(input: ControlPlaneDeploymentInput): EnvVar[] {
  const { global, pilot } = input.values;
  // The ztunnel whose node-level certificate requests the CA honours: where users install it, ztunnel by default.
  const trustedZtunnel = `${pilot?.trustedZtunnelNamespace || input.namespace}/${pilot?.trustedZtunnelName || 'ztunnel'}`;
  const fixed = [
    envValue('REVISION', input.names.revisionLabel),
    envField('POD_NAME', 'metadata.name'),
    envField('POD_NAMESPACE', 'metadata.namespace'),
    envField('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    envValue('CA_TRUSTED_NODE_ACCOUNTS', trustedZtunnel),
    envValue('CLUSTER_ID', global?.multiCluster?.clusterName || 'Kubernetes'),
    ...(global?.platform ? [envValue('PLATFORM', global.platform)] : []),
    envValue('LOG_LEVEL', ambitLogLevel(global?.logging?.level)),
  ];
  // pilot.env carries PILOT_ENABLE_AMBIENT from the ambient profile, and may replace any of the above.
  return joinEnv(fixed, envFromMap(pilot?.env));
}

export function controlPlaneDeployment(ctx: RenderContext, input: ControlPlaneDeploymentInput): KubeObject {
  const { names, values } = input;
  const pilot = values.pilot ?? {};
  const revision = values.revision;
  // The selector is immutable, so it stays the istiod chart's: an upgrade from Sail keeps its Deployment.
  const selector = revision ? { app: 'istiod', 'istio.io/rev': revision } : { istio: 'pilot' };
  const podLabels = {
    ...pilot.podLabels,
    app: 'istiod',
    'istio.io/rev': names.revisionLabel,
    'sidecar.istio.io/inject': 'false',
    // Revisioned pods are not istio=pilot, so the default revision's selector never picks them up.
    istio: revision ? 'istiod' : 'pilot',
    'istio.io/dataplane-mode': 'none',
    'app.kubernetes.io/name': 'istiod',
    ...istioLabels(ctx),
  };
  const podAnnotations = {
    'prometheus.io/port': '15014',
    'prometheus.io/scrape': 'true',
    'sidecar.istio.io/inject': 'false',
    ...pilot.podAnnotations,
  };
  const container = compact({
    name: 'discovery',
    image: input.image,
    args: [
      'control-plane',
      `--namespace=${input.namespace}`,
      `--revision=${names.revisionLabel}`,
      `--mesh-config-map=${names.meshConfigMap}`,
      `--values-config-map=${names.valuesConfigMap}`,
      ...(pilot.extraContainerArgs ?? []),
    ],
    ports: controlPlanePorts,
    readinessProbe: {
      httpGet: { path: '/readyz', port: 8080 },
      initialDelaySeconds: 1,
      periodSeconds: 3,
      timeoutSeconds: 5,
    },
    env: controlPlaneEnv(input),
    resources: pilot.resources ?? values.global?.defaultResources,
    securityContext: compact({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: nonEmptyMap(pilot['seccompProfile']),
    }),
    terminationMessagePolicy: pilot['terminationMessagePolicy'],
    volumeMounts: [
      // Plugged-in CA certificates (the `cacerts` Secret), where istiod reads them.
      { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
      ...listOf(pilot['volumeMounts']),
    ],
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(ctx, {
      name: names.istiod,
      namespace: input.namespace,
      labels: { ...input.labels, ...pilot.deploymentLabels },
    }),
    spec: compact({
      // Without an autoscaler of Ambit's, autoscaleEnabled leaves the count to whoever scales the Deployment.
      replicas: pilot.autoscaleEnabled ? undefined : pilot.replicaCount,
      strategy: { rollingUpdate: { maxSurge: pilot.rollingMaxSurge, maxUnavailable: pilot.rollingMaxUnavailable } },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels, annotations: podAnnotations },
        spec: compact({
          serviceAccountName: names.istiod,
          nodeSelector: nonEmpty(pilot.nodeSelector),
          affinity: nonEmptyMap(pilot.affinity),
          // Before istio-cni is ready on a node, the control plane may still run there.
          tolerations: [{ key: 'cni.istio.io/not-ready', operator: 'Exists' }, ...(pilot.tolerations ?? [])],
          topologySpreadConstraints: nonEmpty(listOf(pilot['topologySpreadConstraints'])),
          priorityClassName: values.global?.priorityClassName,
          containers: [container],
          volumes: [
            { name: 'cacerts', secret: { secretName: 'cacerts', optional: true } },
            ...listOf(pilot['volumes']),
          ],
        }),
      },
    }),
  };
}
