// The control plane's view: namespaces, Gateways and GatewayClasses, ConfigMaps (its own configuration, class
// defaults and parametersRef overlays), revision tags, Services, pods and EndpointSlices, the Istio networking and
// security objects the mesh model reads, and the waypoint objects it made (by the managed label).
import type { Logger } from 'winston';
import type { ApiClient } from '../../../src/kube/api-client.ts';
import type { Informer } from '../../../src/kube/informer.ts';
import { InformerSet } from '../../../src/kube/informer-set.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { AmbientView } from '../../../src/ambient/binding.ts';
import { ambientView } from '../../../src/ambient/view.ts';
import { resources, type Resource } from '../../../src/kube/resources.ts';
import { clusterIndex, type ClusterIndex } from '../../../src/ambient/translate/cluster-index.ts';

export const managedLabel = 'gateway.istio.io/managed';
export const meshControllerLabel = 'istio.io-mesh-controller';
export const serviceNameLabel = 'kubernetes.io/service-name';

interface EndpointSlice {
  ports?: { port?: number }[] | null;
  endpoints?: { conditions?: { ready?: boolean } }[] | null;
}

export class ControlPlaneCaches extends InformerSet {
  readonly namespaces: Informer<KubeObject>;
  readonly gateways: Informer<KubeObject>;
  readonly gatewayClasses: Informer<KubeObject>;
  readonly configMaps: Informer<KubeObject>;
  readonly tags: Informer<KubeObject>;
  readonly services: Informer<KubeObject>;
  readonly pods: Informer<KubeObject>;
  readonly endpointSlices: Informer<KubeObject>;
  readonly httpRoutes: Informer<KubeObject>;
  readonly referenceGrants: Informer<KubeObject>;
  readonly virtualServices: Informer<KubeObject>;
  readonly workloadEntries: Informer<KubeObject>;
  readonly serviceEntries: Informer<KubeObject>;
  readonly authorizationPolicies: Informer<KubeObject>;
  readonly owned: Map<string, Informer<KubeObject>>;
  /** Every object of the kinds a waypoint is made of, by kind: so a name taken by someone else is seen without a GET. */
  readonly names: Map<string, Informer<KubeObject>>;
  /** The binding view, rebuilt only after a namespace, Gateway or GatewayClass changed. */
  private view: AmbientView | undefined;
  /** The lookups the route and policy status rules need, rebuilt only after what they index (or the domain) changed. */
  private index: { domain: string; value: ClusterIndex } | undefined;

  constructor(api: ApiClient, log: Logger, resyncMs = 10 * 60_000) {
    super(api, log, resyncMs);
    const informer = (res: Resource, labelSelector?: string, metadataOnly = false) =>
      this.informer(res, { metadataOnly, ...(labelSelector ? { labelSelector } : {}) });
    this.namespaces = informer(resources.namespace);
    this.gateways = informer(resources.gateway);
    this.gatewayClasses = informer(resources.gatewayClass);
    this.configMaps = informer(resources.configMap);
    this.tags = informer(resources.istioRevisionTag);
    this.services = informer(resources.service);
    this.pods = informer(resources.pod);
    this.endpointSlices = informer(resources.endpointSlice);
    this.httpRoutes = informer(resources.httpRoute);
    this.referenceGrants = informer(resources.referenceGrant);
    this.virtualServices = informer(resources.virtualService);
    this.workloadEntries = informer(resources.workloadEntry);
    this.serviceEntries = informer(resources.serviceEntry);
    this.authorizationPolicies = informer(resources.authorizationPolicy);
    const owned = [
      resources.serviceAccount,
      resources.deployment,
      resources.service,
      resources.horizontalPodAutoscaler,
      resources.podDisruptionBudget,
    ];
    this.owned = new Map(owned.map((res) => [res.kind, informer(res, `${managedLabel}=${meshControllerLabel}`)]));
    this.names = new Map([
      ['ServiceAccount', informer(resources.serviceAccount, undefined, true)],
      ['Deployment', informer(resources.deployment, undefined, true)],
      ['Service', this.services],
    ]);
    const invalidate = () => {
      this.view = undefined;
    };
    for (const i of [this.namespaces, this.gateways, this.gatewayClasses])
      i.on({ add: invalidate, update: invalidate, delete: invalidate });
    const invalidateIndex = () => {
      this.index = undefined;
    };
    const indexed = [
      this.services,
      this.serviceEntries,
      this.namespaces,
      this.gateways,
      this.gatewayClasses,
      this.referenceGrants,
    ];
    for (const i of indexed) i.on({ add: invalidateIndex, update: invalidateIndex, delete: invalidateIndex });
  }

  all(): Informer<KubeObject>[] {
    const names = [...this.names.values()].filter((i) => i !== this.services);
    return [...this.meshInputs(), this.configMaps, this.tags, ...this.owned.values(), ...names];
  }

  /** What the xDS model is built from. */
  meshInputs(): Informer<KubeObject>[] {
    return [
      this.namespaces,
      this.gateways,
      this.gatewayClasses,
      this.services,
      this.endpointSlices,
      this.pods,
      this.httpRoutes,
      this.referenceGrants,
      this.virtualServices,
      this.workloadEntries,
      this.serviceEntries,
      this.authorizationPolicies,
    ];
  }

  /**
   * Whether an object of that kind and name exists and who made it, from the caches when they cover the kind
   * (undefined: the caller must ask the API server).
   */
  existing(kind: string, name: string, namespace: string | undefined): KubeObject | null | undefined {
    const cache = this.names.get(kind);
    if (!cache) return undefined;
    return cache.get(name, namespace) ?? null;
  }

  /** Whether a Service has a ready endpoint on `port`: what makes a waypoint's address usable, as in istiod. */
  hasReadyEndpoint(service: string, namespace: string, port: number): boolean {
    return this.endpointSlices
      .list((s) => s.metadata.namespace === namespace && s.metadata.labels?.[serviceNameLabel] === service)
      .some((s) => {
        const slice = s as unknown as EndpointSlice;
        return (
          (slice.ports ?? []).some((p) => p.port === port) &&
          (slice.endpoints ?? []).some((e) => e.conditions?.ready !== false)
        );
      });
  }

  ambientView(): AmbientView {
    this.view ??= ambientView(this.namespaces.list(), this.gateways.list(), this.gatewayClasses.list());
    return this.view;
  }

  clusterIndex(clusterDomain: string): ClusterIndex {
    if (this.index?.domain !== clusterDomain) {
      const value = clusterIndex({
        services: this.services.list(),
        serviceEntries: this.serviceEntries.list(),
        namespaces: this.namespaces.list(),
        gateways: this.gateways.list(),
        gatewayClasses: this.gatewayClasses.list(),
        referenceGrants: this.referenceGrants.list(),
        clusterDomain,
      });
      this.index = { domain: clusterDomain, value };
    }
    return this.index.value;
  }
}
