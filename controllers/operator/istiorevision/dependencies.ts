// Whether an IstioRevision's dependencies are healthy (ambient needs the IstioCNI and the ZTunnel named default),
// whether anything uses the revision, and whether its discoverySelectors leave out a namespace that must be seen.
// Pure, with Sail's reasons and messages.
import type { Values } from '../../../src/api/values.ts';
import type { ConditionInput } from '../../../src/kube/conditions.ts';
import { selectedByAny } from '../../../src/kube/label-selector.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const stateOf = (o: KubeObject) => (o['status'] as { state?: string } | undefined)?.state;

export function dependenciesCondition(
  needsCni: boolean,
  needsZTunnel: boolean,
  cni: KubeObject | undefined,
  ztunnel: KubeObject | undefined,
): ConditionInput {
  const failing = (reason: string, message: string): ConditionInput => ({
    type: 'DependenciesHealthy',
    status: 'False',
    reason,
    message,
  });
  if (needsCni && !cni) return failing('IstioCNINotFound', 'IstioCNI resource does not exist');
  if (needsCni && cni && stateOf(cni) !== 'Healthy') {
    return failing('IstioCNINotHealthy', 'IstioCNI resource status indicates that the component is not healthy');
  }
  if (needsZTunnel && !ztunnel) return failing('ZTunnelNotFound', 'ZTunnel resource does not exist');
  if (needsZTunnel && ztunnel && stateOf(ztunnel) !== 'Healthy') {
    return failing('ZTunnelNotHealthy', 'ZTunnel resource status indicates that the component is not healthy');
  }
  return { type: 'DependenciesHealthy', status: 'True', reason: 'DependenciesHealthy', message: '' };
}

/**
 * In use when a namespace selects the revision for injection or ambient enrolment (`istio.io/rev`, or for `default`
 * `istio-injection=enabled` or no revision label), when the ZTunnel targets it, or when a tag points at it. Ambient
 * enrolment and ztunnel count, unlike in Sail, so RevisionBased pruning never removes a revision they use.
 */
export function inUseCondition(
  revision: string,
  namespaces: KubeObject[],
  ztunnel: KubeObject | undefined,
  tags: KubeObject[],
): ConditionInput {
  const used: ConditionInput = {
    type: 'InUse',
    status: 'True',
    reason: 'ReferencedByWorkloads',
    message: 'Referenced by at least one pod or namespace',
  };
  const labelled = namespaces.some((ns) => {
    const labels = ns.metadata.labels ?? {};
    const rev = labels['istio.io/rev'];
    if (rev !== undefined) return rev === revision;
    if (labels['istio-injection'] === 'enabled') return revision === 'default';
    return labels['istio.io/dataplane-mode'] === 'ambient' && revision === 'default';
  });
  const targeted = (ztunnel?.['status'] as { istioRevision?: string } | undefined)?.istioRevision === revision;
  const tagged = tags.some((t) => (t['status'] as { istioRevision?: string } | undefined)?.istioRevision === revision);
  if (labelled || targeted || tagged) return used;
  return {
    type: 'InUse',
    status: 'False',
    reason: 'NotReferencedByAnything',
    message: 'Not referenced by any pod or namespace',
  };
}

/**
 * The namespaces that must be visible to the control plane (its own, and ztunnel's: it signs ztunnel's certificates,
 * istio/istio#52057) but that meshConfig.discoverySelectors leave out. None when there are no selectors.
 */
export function undiscoveredNamespaces(values: Values, required: KubeObject[]): string[] {
  const selectors = values.meshConfig?.discoverySelectors;
  return required.filter((ns) => !selectedByAny(selectors, ns.metadata.labels ?? {})).map((ns) => ns.metadata.name);
}
