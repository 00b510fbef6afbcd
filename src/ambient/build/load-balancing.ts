// A Kubernetes Service's endpoint-selection settings as ztunnel gets them, as istiod derives them: traffic
// distribution (spec.trafficDistribution, or the networking.istio.io/traffic-distribution annotation where the field is
// unset) prefers the closest endpoints and fails over; internalTrafficPolicy Local allows only the node's own;
// publishNotReadyAddresses sends to endpoints that are not ready. Pure.
import type { KubeObject } from '../../kube/objects.ts';
import type { LoadBalancing } from '../../xds/model/model.ts';

export const trafficDistributionAnnotation = 'networking.istio.io/traffic-distribution';

interface ServiceSpec {
  trafficDistribution?: string;
  internalTrafficPolicy?: string;
  publishNotReadyAddresses?: boolean;
  ipFamilies?: string[];
}

const sameZone: LoadBalancing = { mode: 'FAILOVER', routingPreference: ['NETWORK', 'REGION', 'ZONE'] };
const sameNode: LoadBalancing = {
  mode: 'FAILOVER',
  routingPreference: ['NETWORK', 'REGION', 'ZONE', 'SUBZONE', 'NODE'],
};

export function serviceLoadBalancing(svc: KubeObject): LoadBalancing | undefined {
  const spec = (svc['spec'] ?? {}) as ServiceSpec;
  const distribution = spec.trafficDistribution ?? svc.metadata.annotations?.[trafficDistributionAnnotation];
  let lb: LoadBalancing | undefined =
    distribution === 'PreferClose' || distribution === 'PreferSameZone'
      ? { ...sameZone }
      : distribution === 'PreferSameNode'
        ? { ...sameNode }
        : undefined;
  if (spec.internalTrafficPolicy === 'Local') lb = { mode: 'STRICT', routingPreference: ['NODE'] };
  if (spec.publishNotReadyAddresses) lb = { ...lb, healthPolicy: 'ALLOW_ALL' };
  return lb;
}

/** spec.ipFamilies as the workload API names them; undefined when the Service states none. */
export function serviceIpFamilies(svc: KubeObject): 'IPV4_ONLY' | 'IPV6_ONLY' | 'DUAL' | undefined {
  const families = new Set(((svc['spec'] ?? {}) as ServiceSpec).ipFamilies ?? []);
  if (families.has('IPv4') && families.has('IPv6')) return 'DUAL';
  if (families.has('IPv4')) return 'IPV4_ONLY';
  if (families.has('IPv6')) return 'IPV6_ONLY';
  return undefined;
}
