// Which objects this control plane is responsible for: namespaces its discoverySelectors select, and Gateways of its
// revision (the Gateway's istio.io/rev label, else its namespace's, else `default`; a tag that points at this
// revision counts as this revision). Pure.
import { selectedByAny } from '../../../src/kube/label-selector.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { LabelSelector } from '../../../src/api/kube-types.ts';

export function namespaceInScope(ns: KubeObject | undefined, selectors: LabelSelector[] | undefined): boolean {
  return ns !== undefined && selectedByAny(selectors, ns.metadata.labels ?? {});
}

/** The revision (or tag) a Gateway asks for. */
export function requestedRevision(gateway: KubeObject, ns: KubeObject | undefined): string {
  return gateway.metadata.labels?.['istio.io/rev'] ?? ns?.metadata.labels?.['istio.io/rev'] ?? 'default';
}

/** `names`: this revision's name and the names of the tags pointing at it. */
export function isMine(requested: string, names: Set<string>): boolean {
  return names.has(requested);
}
