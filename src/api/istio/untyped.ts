// Istio kinds Ambit does not interpret: the API server stores their spec as written (no field validation here),
// so users' objects apply unchanged.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { istioCrd } from './common.ts';

const FreeSpec = z.unknown();
const networking = 'networking.istio.io';
const extensions = 'extensions.istio.io';

export const gatewayCrd = istioCrd({
  group: networking,
  kind: 'Gateway',
  plural: 'gateways',
  shortNames: ['gw'],
  versions: ['v1', 'v1alpha3', 'v1beta1'],
  storage: 'v1',
  description: 'A load balancer at the edge of the mesh (Istio API; waypoints use the Kubernetes Gateway API).',
  spec: FreeSpec,
});

export const sidecarCrd = istioCrd({
  group: networking,
  kind: 'Sidecar',
  plural: 'sidecars',
  versions: ['v1', 'v1alpha3', 'v1beta1'],
  storage: 'v1',
  description: 'The reachability of a sidecar proxy (sidecar mode only).',
  spec: FreeSpec,
});

export const envoyFilterCrd = istioCrd({
  group: networking,
  kind: 'EnvoyFilter',
  plural: 'envoyfilters',
  versions: ['v1alpha3'],
  storage: 'v1alpha3',
  description: 'Patches to the Envoy configuration Istio generates.',
  spec: FreeSpec,
});

export const proxyConfigCrd = istioCrd({
  group: networking,
  kind: 'ProxyConfig',
  plural: 'proxyconfigs',
  versions: ['v1beta1'],
  storage: 'v1beta1',
  description: 'Configuration for individual workloads.',
  spec: FreeSpec,
});

export const wasmPluginCrd = istioCrd({
  group: extensions,
  kind: 'WasmPlugin',
  plural: 'wasmplugins',
  versions: ['v1alpha1'],
  storage: 'v1alpha1',
  description: 'A WebAssembly extension for Istio proxies.',
  spec: FreeSpec,
  requireSpec: true,
  columns: [ageColumn],
});

export const trafficExtensionCrd = istioCrd({
  group: extensions,
  kind: 'TrafficExtension',
  plural: 'trafficextensions',
  versions: ['v1alpha1'],
  storage: 'v1alpha1',
  description: 'An extension of the traffic handling of Istio proxies.',
  spec: FreeSpec,
  requireSpec: true,
  columns: [ageColumn],
});
