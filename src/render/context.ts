// What every renderer is given besides its values, and the metadata every rendered object carries because of it.
import type { IstioVersion } from '../api/versions.ts';
import type { ObjectMeta, OwnerReference } from '../kube/objects.ts';
import { isTree } from './values/tree.ts';

export interface RenderContext {
  /** The custom resource that owns everything rendered (IstioRevision, IstioCNI or ZTunnel). */
  owner: OwnerReference;
  /** The value of the `managed-by` label, by which the operator finds its objects. */
  managedBy: string;
  /** The Istio version installed: the default image tag and the app.kubernetes.io/version label. */
  version: IstioVersion;
}

export interface MetaInput {
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string | undefined;
  /** The component's own labels, first; the context's labels follow and cannot be overridden. */
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** Istio's labels for its objects and pods: part of Istio, at this version. */
export function istioLabels(ctx: RenderContext): Record<string, string> {
  return { 'app.kubernetes.io/part-of': 'istio', 'app.kubernetes.io/version': ctx.version.version };
}

export function objectMeta(ctx: RenderContext, input: MetaInput): ObjectMeta {
  return compact({
    name: input.name,
    namespace: input.namespace,
    labels: { ...input.labels, ...istioLabels(ctx), 'managed-by': ctx.managedBy },
    annotations: nonEmpty(input.annotations),
    ownerReferences: [{ ...ctx.owner }],
  });
}

/** The object without its undefined fields (one level), so rendered objects hold only what was set. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** The map or list, or undefined when it is missing or empty: Kubernetes omits empty ones, so we do too. */
export function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  return Object.keys(value).length > 0 ? value : undefined;
}

/** An untyped value that should be a map: the map when it is a non-empty one, else undefined. */
export function nonEmptyMap(value: unknown): Record<string, unknown> | undefined {
  return isTree(value) ? nonEmpty(value) : undefined;
}

/** An untyped value that should be a list: the list, or none. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
