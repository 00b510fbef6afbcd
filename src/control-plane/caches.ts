// The control plane's view: namespaces, Gateways and GatewayClasses, ConfigMaps (its own configuration, class
// defaults and parametersRef overlays), revision tags, and the waypoint objects it made (by the managed label).
import type { Logger } from 'winston';
import type { ApiClient } from '../kube/api-client.ts';
import { Informer } from '../kube/informer.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { AmbientView } from '../ambient/binding.ts';
import { ambientView } from '../ambient/view.ts';
import { resources, type Resource } from '../kube/resources.ts';

export const managedLabel = 'gateway.istio.io/managed';
export const meshControllerLabel = 'istio.io-mesh-controller';

export class ControlPlaneCaches {
  readonly namespaces: Informer<KubeObject>;
  readonly gateways: Informer<KubeObject>;
  readonly gatewayClasses: Informer<KubeObject>;
  readonly configMaps: Informer<KubeObject>;
  readonly tags: Informer<KubeObject>;
  readonly services: Informer<KubeObject>;
  readonly pods: Informer<KubeObject>;
  readonly owned: Map<string, Informer<KubeObject>>;
  /** The binding view, rebuilt only after a namespace, Gateway or GatewayClass changed. */
  private view: AmbientView | undefined;

  constructor(api: ApiClient, log: Logger, resyncMs = 10 * 60_000) {
    const informer = (res: Resource, labelSelector?: string) =>
      new Informer<KubeObject>(api, res, { resyncMs, ...(labelSelector ? { labelSelector } : {}) }, log);
    this.namespaces = informer(resources.namespace);
    this.gateways = informer(resources.gateway);
    this.gatewayClasses = informer(resources.gatewayClass);
    this.configMaps = informer(resources.configMap);
    this.tags = informer(resources.istioRevisionTag);
    this.services = informer(resources.service);
    this.pods = informer(resources.pod);
    const owned = [
      resources.serviceAccount,
      resources.deployment,
      resources.service,
      resources.horizontalPodAutoscaler,
      resources.podDisruptionBudget,
    ];
    this.owned = new Map(owned.map((res) => [res.kind, informer(res, `${managedLabel}=${meshControllerLabel}`)]));
    const invalidate = () => {
      this.view = undefined;
    };
    for (const i of [this.namespaces, this.gateways, this.gatewayClasses])
      i.on({ add: invalidate, update: invalidate, delete: invalidate });
  }

  all(): Informer<KubeObject>[] {
    return [
      this.namespaces,
      this.gateways,
      this.gatewayClasses,
      this.configMaps,
      this.tags,
      this.services,
      this.pods,
      ...this.owned.values(),
    ];
  }

  ambientView(): AmbientView {
    this.view ??= ambientView(this.namespaces.list(), this.gateways.list(), this.gatewayClasses.list());
    return this.view;
  }

  get synced(): boolean {
    return this.all().every((i) => i.hasSynced);
  }
}
