// Everything an IstioRevision installs: the control plane's identity and RBAC, its mesh configuration, its values,
// its Service, Deployment and, with more than one replica, a PodDisruptionBudget.
import type { Values } from '../api/values.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { RenderContext } from './context.ts';
import { nonEmpty, objectMeta } from './context.ts';
import { controlPlaneDeployment } from './control-plane-deployment.ts';
import { controlPlaneNames } from './control-plane-names.ts';
import type { ControlPlaneNames } from './control-plane-names.ts';
import { controlPlaneClusterRules, controlPlaneNamespaceRules } from './control-plane-rbac.ts';
import { meshConfig, meshNetworks } from './mesh-config.ts';
import { binding, clusterRole, role } from './rbac.ts';
import { controlPlaneChartValues } from './values/chart-values.ts';
import { deepCopy, valueAt } from './values/tree.ts';
import { configJson, configYaml } from './yaml.ts';

export interface ControlPlaneInput extends RenderContext {
  /** The IstioRevision's spec.namespace. */
  namespace: string;
  /** The IstioRevision's spec.values (computeRevisionValues); values.revision names the objects. */
  values: Values;
  /** The image that runs `ambit control-plane`: the operator's own. */
  image: string;
}

/** More than one replica, now or under an autoscaler: only then can a budget of one leave room to drain a node. */
function wantsDisruptionBudget(values: Values): boolean {
  const pilot = values.pilot ?? {};
  if (valueAt(values.global, 'defaultPodDisruptionBudget', 'enabled') === false) return false;
  return pilot.autoscaleEnabled ? (pilot.autoscaleMin ?? 1) > 1 : (pilot.replicaCount ?? 1) > 1;
}

function configMaps(
  input: ControlPlaneInput,
  values: Values,
  names: ControlPlaneNames,
  labels: Record<string, string>,
) {
  const mesh = meshConfig({ values, namespace: input.namespace, serviceName: names.istiod });
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: objectMeta(input, { name: names.meshConfigMap, namespace: input.namespace, labels }),
      data: { mesh: configYaml(mesh), meshNetworks: configYaml(meshNetworks(values)) },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: objectMeta(input, {
        name: names.valuesConfigMap,
        namespace: input.namespace,
        labels,
        annotations: {
          'kubernetes.io/description':
            'The values the control plane was rendered from, for debugging and tools; changing them has no effect.',
        },
      }),
      data: { 'original-values': configJson(input.values), 'merged-values': configJson(values) },
    },
  ];
}

/**
 * The control plane's objects in apply order: identity and RBAC, configuration, Service, Deployment, budget. They
 * share nothing with the input or each other, so the caller may change them (say, to add an annotation).
 */
export function renderControlPlane(input: ControlPlaneInput): KubeObject[] {
  const { namespace } = input;
  const values = controlPlaneChartValues(input.values, input.version.version);
  const names = controlPlaneNames(values.revision, namespace);
  const labels = {
    app: 'istiod',
    istio: 'pilot',
    'istio.io/rev': names.revisionLabel,
    'app.kubernetes.io/name': 'istiod',
  };
  const meta = (name: string, ns?: string) => objectMeta(input, { name, namespace: ns, labels });
  const serviceAccount = { name: names.istiod, namespace };
  const selector = { app: 'istiod', 'istio.io/rev': names.revisionLabel };
  const pullSecrets = values.global?.imagePullSecrets?.map((name) => ({ name }));

  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: objectMeta(input, {
        name: names.istiod,
        namespace,
        labels,
        annotations: values.pilot?.serviceAccountAnnotations,
      }),
      ...(nonEmpty(pullSecrets) ? { imagePullSecrets: pullSecrets } : {}),
    },
    clusterRole(meta(names.clusterRole), controlPlaneClusterRules),
    binding('ClusterRoleBinding', meta(names.clusterRole), names.clusterRole, serviceAccount),
    role(meta(names.istiod, namespace), controlPlaneNamespaceRules),
    binding('RoleBinding', meta(names.istiod, namespace), names.istiod, serviceAccount),
    ...configMaps(input, values, names, labels),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: objectMeta(input, {
        name: names.istiod,
        namespace,
        labels,
        annotations: values.pilot?.serviceAnnotations,
      }),
      spec: {
        ports: [
          { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
          { port: 15012, name: 'https-dns', protocol: 'TCP' },
          { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
          { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
        ],
        selector,
      },
    },
    controlPlaneDeployment(input, { namespace, values, image: input.image, names, labels }),
  ];
  if (wantsDisruptionBudget(values)) {
    objects.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(names.istiod, namespace),
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    });
  }
  return deepCopy(objects);
}
