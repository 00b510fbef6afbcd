// Kubernetes label selector matching (matchLabels AND matchExpressions), as the API server evaluates it.
import type { LabelSelector } from '../api/kube-types.ts';

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const matchExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
  return matchLabels && matchExpressions;
}

/** discoverySelectors semantics: no selectors selects everything; otherwise any one selector must match. */
export function selectedByAny(selectors: LabelSelector[] | undefined, labels: Record<string, string>): boolean {
  return !selectors || selectors.length === 0 || selectors.some((s) => selects(s, labels));
}
