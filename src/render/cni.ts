// Everything an IstioCNI installs: the node agent's identity and RBAC, its configuration, and the istio-cni-node
// DaemonSet; a ResourceQuota where the platform needs one, and Multus's attachment where Multus runs the plugins.
import type { KubeObject } from '../kube/objects.ts';
import { cniConfigMapName, cniDaemonSet, cniDaemonSetName } from './cni-daemonset.ts';
import type { RenderContext } from './context.ts';
import { nonEmpty, objectMeta } from './context.ts';
import type { PolicyRule } from './rbac.ts';
import { binding, clusterRole, privilegedSccRule, readVerbs } from './rbac.ts';
import { cniChartValues } from './values/chart-values.ts';
import { deepCopy, valueAt } from './values/tree.ts';
import type { CniChartValues } from './values/types.ts';
import { configYaml } from './yaml.ts';
import { resourceQuota } from './resource-quota.ts';

export interface CniInput extends RenderContext {
  /** The IstioCNI's spec.namespace. */
  namespace: string;
  /** computeCniValues of the IstioCNI. */
  values: CniChartValues;
}

const name = 'istio-cni';
const flag = (value: unknown): string => (value === true ? 'true' : 'false');
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The agent's settings, read by install-cni from its environment (envFrom), keyed as the istio-cni chart keys them. */
function cniConfigData(values: CniChartValues): Record<string, string> {
  const cni = values.cni ?? {};
  const global = values.global ?? {};
  const ambient = cni.ambient ?? {};
  const repair = (key: string) => valueAt(cni.repair, key);
  return {
    CURRENT_AGENT_VERSION: cni.tag || global.tag || '',
    AMBIENT_ENABLED: flag(ambient.enabled),
    AMBIENT_ENABLEMENT_SELECTOR: configYaml(ambient.enablementSelectors ?? []),
    AMBIENT_DNS_CAPTURE: flag(ambient.dnsCapture),
    AMBIENT_IPV6: flag(ambient.ipv6),
    AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: flag(ambient.reconcileIptablesOnStartup),
    ENABLE_AMBIENT_DETECTION_RETRY: flag(ambient.enableAmbientDetectionRetry),
    ...(cni.cniConfFileName ? { CNI_CONF_NAME: cni.cniConfFileName } : {}),
    ISTIO_OWNED_CNI_CONFIG: flag(cni.istioOwnedCNIConfig),
    ...(cni.istioOwnedCNIConfig === true
      ? { ISTIO_OWNED_CNI_CONF_FILENAME: cni.istioOwnedCNIConfigFileName ?? '' }
      : {}),
    CHAINED_CNI_PLUGIN: flag(cni.chained),
    EXCLUDE_NAMESPACES: (cni.excludeNamespaces ?? []).join(','),
    REPAIR_ENABLED: flag(repair('enabled')),
    REPAIR_LABEL_PODS: flag(repair('labelPods')),
    REPAIR_DELETE_PODS: flag(repair('deletePods')),
    REPAIR_REPAIR_PODS: flag(repair('repairPods')),
    REPAIR_INIT_CONTAINER_NAME: text(repair('initContainerName')),
    REPAIR_BROKEN_POD_LABEL_KEY: text(repair('brokenPodLabelKey')),
    REPAIR_BROKEN_POD_LABEL_VALUE: text(repair('brokenPodLabelValue')),
    NATIVE_NFTABLES: flag(global.nativeNftables),
    ...cni.env,
  };
}

/** The repair controller's rules: it finds pods that started before the node's CNI was ready, and acts per mode. */
function repairRules(values: CniChartValues): PolicyRule[] {
  const mode = (key: string) => valueAt(values.cni?.repair, key) === true;
  const rules: PolicyRule[] = [
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: readVerbs },
  ];
  // Repairing in place needs no API rights; deleting and labelling do (labelling only through pods/status).
  if (mode('repairPods')) return rules;
  if (mode('deletePods')) return [...rules, { apiGroups: [''], resources: ['pods'], verbs: ['delete'] }];
  if (mode('labelPods')) return [...rules, { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] }];
  return rules;
}

/** The ClusterRoles the agent needs, by name: always its own, the repair controller's and ambient's when enabled. */
function clusterRoles(values: CniChartValues): [string, PolicyRule[]][] {
  const openshift = values.global?.platform === 'openshift';
  const roles: [string, PolicyRule[]][] = [
    [
      name,
      [
        { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: readVerbs },
        ...(openshift ? [privilegedSccRule] : []),
      ],
    ],
  ];
  if (valueAt(values.cni?.repair, 'enabled') === true) roles.push([`${name}-repair-role`, repairRules(values)]);
  if (values.cni?.ambient?.enabled === true) {
    roles.push([
      `${name}-ambient`,
      [
        // Ambient marks enrolled pods through their status, and reads its own DaemonSet.
        { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
        { apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: [cniDaemonSetName], verbs: ['get'] },
      ],
    ]);
  }
  return roles;
}

// The bindings keep the istio-cni chart's names.
const bindingName = (roleName: string) => (roleName.endsWith('-repair-role') ? `${name}-repair-rolebinding` : roleName);

/**
 * The CNI's objects in apply order: identity and RBAC, configuration, quota, Multus attachment, DaemonSet. They share
 * nothing with the input or each other.
 */
export function renderCni(input: CniInput): KubeObject[] {
  const { namespace } = input;
  const values = cniChartValues(input.values, input.version.version);
  const labels = { app: name, 'app.kubernetes.io/name': name };
  const meta = (objectName: string, ns?: string) => objectMeta(input, { name: objectName, namespace: ns, labels });
  const pullSecrets = values.global?.imagePullSecrets?.map((secret) => ({ name: secret }));
  const roles = clusterRoles(values);
  const quota = values.cni?.resourceQuotas;

  return deepCopy([
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(name, namespace),
      ...(nonEmpty(pullSecrets) ? { imagePullSecrets: pullSecrets } : {}),
    },
    ...roles.map(([roleName, rules]) => clusterRole(meta(roleName), rules)),
    ...roles.map(([roleName]) =>
      binding('ClusterRoleBinding', meta(bindingName(roleName)), roleName, { name, namespace }),
    ),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(cniConfigMapName, namespace), data: cniConfigData(values) },
    ...(quota?.enabled === true ? [resourceQuota(input, `${name}-resource-quota`, namespace, quota, labels)] : []),
    // Multus attaches the plugin to pods through this definition; Multus looks it up in the default namespace.
    ...(values.cni?.provider === 'multus'
      ? [{ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: meta(name, 'default') }]
      : []),
    cniDaemonSet(input, namespace, values),
  ]);
}
