// What every controller of the control plane gets: the API client, the caches, the event recorder, who it is
// (namespace, revision, the ConfigMaps it is configured by), its configuration as read from those ConfigMaps (parsed
// again only when they change), the mesh root once the CA has it, and the shape of a control-plane controller.
import type { Values } from '../../../src/api/values.ts';
import type { KubeClient } from '../../../src/kube/client.ts';
import type { ControllerDefinition } from '../../../src/kube/controller.ts';
import type { EventRecorder } from '../../../src/kube/events.ts';
import type { ControlPlaneCaches } from './caches.ts';
import { clusterDomainOf, parseMesh, parseValues, type MeshSettings } from './mesh-config.ts';

export interface ControlPlaneSettings {
  /** The control plane's namespace. */
  namespace: string;
  revision: string;
  /** The ConfigMaps in `namespace` holding the mesh config (`mesh`) and the computed values (`merged-values`). */
  meshConfigMap: string;
  valuesConfigMap: string;
}

export interface ControlPlaneContext {
  client: KubeClient;
  caches: ControlPlaneCaches;
  events: EventRecorder;
  settings: ControlPlaneSettings;
  mesh: () => MeshSettings;
  values: () => Values;
  clusterDomain: () => string;
  /** The mesh root certificate (PEM); empty until the CA has loaded. */
  root: () => string;
  now: () => Date;
}

/** A control-plane controller: they start once the CA has loaded (the root-cert publisher needs its root). */
export type ControlPlaneController = ControllerDefinition<ControlPlaneContext>;

export function controlPlaneContext(
  parts: Pick<ControlPlaneContext, 'client' | 'caches' | 'events' | 'settings' | 'root'>,
): ControlPlaneContext {
  const { caches, settings } = parts;
  const data = (name: string) =>
    caches.configMaps.get(name, settings.namespace)?.['data'] as Record<string, string> | undefined;
  const cached = <T>(name: string, parse: (d: Record<string, string> | undefined) => T) => {
    let last: { rv: string | undefined; value: T } | undefined;
    return () => {
      const rv = caches.configMaps.get(name, settings.namespace)?.metadata.resourceVersion;
      if (!last || last.rv !== rv) last = { rv, value: parse(data(name)) };
      return last.value;
    };
  };
  const values = cached(settings.valuesConfigMap, parseValues);
  return {
    ...parts,
    mesh: cached(settings.meshConfigMap, (d) => parseMesh(d, settings.namespace)),
    values,
    // Read from the values parsed once; unreadable values are reported on the Gateways they break, and the model
    // keeps the default domain meanwhile.
    clusterDomain: () => {
      try {
        return clusterDomainOf(values());
      } catch {
        return clusterDomainOf({});
      }
    },
    now: () => new Date(),
  };
}
