// The waypoint Deployment: pods kept out of ambient capture themselves (they are the mesh's proxies), scraped by
// Prometheus, with the workload-identity token for the CA and the mesh's root certificate.
import type { KubeObject } from '../../kube/objects.ts';
import { deepCopy, isTree, valueAt } from '../values/tree.ts';
import { proxyContainer } from './container.ts';
import { gatewayClassLabel, gatewayNameLabel, managedLabel } from './input.ts';
import type { WaypointInput } from './input.ts';
import type { WaypointMeta } from './metadata.ts';
import { objectMetadata, sorted } from './metadata.ts';

function podLabels(meta: WaypointMeta): Record<string, string> {
  // Later maps win: infrastructure labels may override the first four, never the Gateway's name, class or manager.
  return sorted({
    'sidecar.istio.io/inject': 'false',
    'istio.io/dataplane-mode': 'none',
    'service.istio.io/canonical-name': meta.names.deployment,
    'service.istio.io/canonical-revision': 'latest',
    ...meta.infrastructureLabels,
    [gatewayNameLabel]: meta.gatewayName,
    [gatewayClassLabel]: meta.className,
    [managedLabel]: meta.controllerLabel,
  });
}

function podAnnotations(input: WaypointInput, meta: WaypointMeta): Record<string, string> {
  return sorted({
    ...meta.annotations,
    'istio.io/rev': input.revision || 'default',
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/port': '15020',
    'prometheus.io/scrape': 'true',
  });
}

/** global.waypoint.{affinity,topologySpreadConstraints,nodeSelector,tolerations}, each when set and not empty. */
function scheduling(input: WaypointInput): Record<string, unknown> {
  const waypoint = input.values.global?.waypoint;
  const result: Record<string, unknown> = {};
  for (const key of ['affinity', 'topologySpreadConstraints', 'nodeSelector', 'tolerations']) {
    const value = valueAt(waypoint, key);
    const set = Array.isArray(value) ? value.length > 0 : isTree(value) ? Object.keys(value).length > 0 : false;
    if (set) result[key] = deepCopy(value);
  }
  return result;
}

function rootCertVolume(input: WaypointInput): Record<string, unknown> {
  const bundle = input.values.global?.trustBundleName;
  const clusterTrustBundle = valueAt(input.values.pilot?.env, 'ENABLE_CLUSTER_TRUST_BUNDLE_API');
  if (clusterTrustBundle === 'true') {
    return {
      name: 'istiod-ca-cert',
      projected: {
        sources: [
          { clusterTrustBundle: { name: `istio.io:istiod-ca:${bundle || 'root-cert'}`, path: 'root-cert.pem' } },
        ],
      },
    };
  }
  return { name: 'istiod-ca-cert', configMap: { name: bundle || 'istio-ca-root-cert' } };
}

function volumes(input: WaypointInput): Record<string, unknown>[] {
  return [
    { name: 'workload-socket', emptyDir: {} },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    // The go-proxy volumes are declared, unmounted, as istiod declares them.
    { name: 'go-proxy-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    { name: 'go-proxy-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
        ],
      },
    },
    {
      name: 'istio-token',
      projected: {
        sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }],
      },
    },
    rootCertVolume(input),
  ];
}

export function waypointDeployment(input: WaypointInput, meta: WaypointMeta): KubeObject {
  const pullSecrets = input.values.global?.imagePullSecrets ?? [];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMetadata(meta, meta.names.deployment),
    // No replicas: an overlay or an autoscaler owns the count.
    spec: {
      selector: { matchLabels: { [gatewayNameLabel]: meta.gatewayName } },
      template: {
        metadata: { annotations: podAnnotations(input, meta), labels: podLabels(meta) },
        spec: {
          ...scheduling(input),
          serviceAccountName: meta.names.serviceAccount,
          containers: [proxyContainer(input, meta)],
          volumes: volumes(input),
          ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
        },
      },
    },
  };
}
