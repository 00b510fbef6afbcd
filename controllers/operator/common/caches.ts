// The operator's view of the cluster: its CRs, namespaces, and the objects it rendered (selected by the
// managed-by label, so the caches hold our objects only, never every ConfigMap or Deployment of the cluster).
import type { Logger } from 'winston';
import type { ApiClient } from '../../../src/kube/api-client.ts';
import type { Informer } from '../../../src/kube/informer.ts';
import { InformerSet } from '../../../src/kube/informer-set.ts';
import { liveKey } from '../../../src/kube/apply-plan.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { resources, type Resource } from '../../../src/kube/resources.ts';
import type { Platform } from '../../../src/render/values/types.ts';

export const managedByLabel = 'managed-by';

/** Kinds the renderers produce; their caches are filtered by our managed-by label. */
export const ownedResources: Resource[] = [
  resources.serviceAccount,
  resources.clusterRole,
  resources.clusterRoleBinding,
  resources.role,
  resources.roleBinding,
  resources.configMap,
  resources.service,
  resources.deployment,
  resources.daemonSet,
  resources.podDisruptionBudget,
  resources.horizontalPodAutoscaler,
  resources.resourceQuota,
];

/**
 * Owned kinds that exist only on some platforms: the CNI renders a Multus NetworkAttachmentDefinition on OpenShift
 * (its profile sets `cni.provider: multus`), and a cache of a kind whose CRD is absent would never sync.
 */
export function ownedResourcesFor(platform: Platform): Resource[] {
  return platform === 'openshift' ? [...ownedResources, resources.networkAttachmentDefinition] : ownedResources;
}

export class Caches extends InformerSet {
  readonly istios: Informer<KubeObject>;
  readonly revisions: Informer<KubeObject>;
  readonly tags: Informer<KubeObject>;
  readonly cnis: Informer<KubeObject>;
  readonly ztunnels: Informer<KubeObject>;
  readonly namespaces: Informer<KubeObject>;
  readonly owned: Map<string, Informer<KubeObject>>;

  constructor(
    api: ApiClient,
    managedBy: string,
    log: Logger,
    owned: Resource[] = ownedResources,
    resyncMs = 10 * 60_000,
  ) {
    super(api, log, resyncMs);
    const informer = (res: Resource, labelSelector?: string) =>
      this.informer(res, labelSelector === undefined ? {} : { labelSelector });
    this.istios = informer(resources.istio);
    this.revisions = informer(resources.istioRevision);
    this.tags = informer(resources.istioRevisionTag);
    this.cnis = informer(resources.istioCni);
    this.ztunnels = informer(resources.zTunnel);
    this.namespaces = informer(resources.namespace);
    this.owned = new Map(owned.map((res) => [res.kind, informer(res, `${managedByLabel}=${managedBy}`)]));
  }

  all(): Informer<KubeObject>[] {
    return [this.istios, this.revisions, this.tags, this.cnis, this.ztunnels, this.namespaces, ...this.owned.values()];
  }

  /** The cached live object with the same kind, namespace and name as `obj`. */
  live(obj: KubeObject): KubeObject | undefined {
    const cache = this.owned.get(obj.kind);
    const found = cache?.get(obj.metadata.name, obj.metadata.namespace);
    return found && liveKey(found) === liveKey(obj) ? found : undefined;
  }

  /** Every cached object whose controller owner reference is `uid`. */
  ownedBy(uid: string): KubeObject[] {
    return [...this.owned.values()].flatMap((c) =>
      c.list((o) => o.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid) ?? false),
    );
  }
}
