// The waypoint Service: the address ztunnel sends HBONE to (port 15008) and the status port. Dual-stack where the
// cluster is; PreferClose keeps traffic to the waypoint in the client's zone when it can.
import type { KubeObject } from '../../kube/objects.ts';
import { gatewayNameLabel, gatewaySpec, serviceType } from './input.ts';
import type { WaypointInput } from './input.ts';
import type { WaypointMeta } from './metadata.ts';
import { objectMetadata } from './metadata.ts';
import { servicePorts } from './ports.ts';

export function waypointService(input: WaypointInput, meta: WaypointMeta): KubeObject {
  const spec = gatewaySpec(input.gateway);
  const type = serviceType(input);
  // The Gateway's annotations come after the default, so a Gateway may choose another traffic distribution.
  const annotations = { 'networking.istio.io/traffic-distribution': 'PreferClose', ...meta.annotations };
  const address = spec.addresses?.[0]?.value;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMetadata(meta, meta.names.deployment, annotations),
    spec: {
      ipFamilyPolicy: 'PreferDualStack',
      ports: servicePorts(spec.listeners ?? []),
      selector: { [gatewayNameLabel]: meta.gatewayName },
      // A requested address is honoured on a load balancer only (a waypoint's ClusterIP is allocated).
      ...(address !== undefined && type === 'LoadBalancer' ? { loadBalancerIP: address } : {}),
      type,
    },
  };
}
