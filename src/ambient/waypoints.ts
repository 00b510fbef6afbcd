// Which Gateways are usable waypoints, as istiod decides: any Gateway with status.addresses (i.e. a Ready waypoint
// pod behind it), its address for ztunnel (the hostname form preferred, HBONE on 15008), the traffic it accepts
// (Gateway label, else GatewayClass label, else `service`), which namespaces may attach (the HBONE listener's
// allowedRoutes), and the seed's service-account scope (`istio.io/for-service-account`). Pure.
import type { LabelSelector } from '../api/kube-types.ts';
import { selects } from '../kube/label-selector.ts';
import type { KubeObject } from '../kube/objects.ts';

export type TrafficType = 'service' | 'workload' | 'all' | 'none';

export interface Waypoint {
  name: string;
  namespace: string;
  /** What ztunnel dials: the Gateway's hostname address (else its first IP), HBONE port 15008. */
  address: { hostname: string } | { ip: string };
  trafficType: TrafficType;
  /** The service account the waypoint is scoped to (seed semantics), when the Gateway has the annotation. */
  forServiceAccount?: string;
  allowedRoutes: { from: 'Same' | 'All' | 'Selector'; selector?: LabelSelector };
}

export const waypointForLabel = 'istio.io/waypoint-for';
export const forServiceAccountAnnotation = 'istio.io/for-service-account';

const trafficTypes = new Set<string>(['service', 'workload', 'all', 'none']);

function trafficTypeOf(gateway: KubeObject, gatewayClass: KubeObject | undefined): TrafficType {
  for (const v of [gateway.metadata.labels?.[waypointForLabel], gatewayClass?.metadata.labels?.[waypointForLabel]]) {
    if (v !== undefined && trafficTypes.has(v)) return v as TrafficType;
  }
  return 'service';
}

interface Listener {
  port?: number;
  protocol?: string;
  allowedRoutes?: { namespaces?: { from?: 'Same' | 'All' | 'Selector'; selector?: LabelSelector } };
}

export function toWaypoint(gateway: KubeObject, gatewayClass: KubeObject | undefined): Waypoint | undefined {
  const addresses =
    (gateway['status'] as { addresses?: { type?: string; value: string }[] } | undefined)?.addresses ?? [];
  if (addresses.length === 0) return undefined;
  const hostname = addresses.find((a) => a.type === 'Hostname')?.value;
  const ip = addresses.find((a) => a.type !== 'Hostname')?.value;
  const listeners = (gateway['spec'] as { listeners?: Listener[] } | undefined)?.listeners ?? [];
  const hbone = listeners.find((l) => l.protocol === 'HBONE' && l.port === 15008);
  const namespaces = hbone?.allowedRoutes?.namespaces;
  const sa = gateway.metadata.annotations?.[forServiceAccountAnnotation];
  return {
    name: gateway.metadata.name,
    namespace: gateway.metadata.namespace ?? '',
    address: hostname ? { hostname } : { ip: ip ?? '' },
    trafficType: trafficTypeOf(gateway, gatewayClass),
    ...(sa ? { forServiceAccount: sa } : {}),
    allowedRoutes: {
      from: namespaces?.from ?? 'Same',
      ...(namespaces?.selector ? { selector: namespaces.selector } : {}),
    },
  };
}

/** Whether objects in namespace `ns` (with these labels) may use the waypoint. */
/** The waypoints among `gateways`, each read with its GatewayClass. */
export function waypointsOf(gateways: KubeObject[], gatewayClasses: KubeObject[]): Waypoint[] {
  const classes = new Map(gatewayClasses.map((c) => [c.metadata.name, c]));
  return gateways
    .map((g) =>
      toWaypoint(g, classes.get((g['spec'] as { gatewayClassName?: string } | undefined)?.gatewayClassName ?? '')),
    )
    .filter((w) => w !== undefined);
}

export function allowsAttachment(w: Waypoint, ns: string, nsLabels: Record<string, string>): boolean {
  switch (w.allowedRoutes.from) {
    case 'Same':
      return ns === w.namespace;
    case 'All':
      return true;
    case 'Selector':
      return w.allowedRoutes.selector !== undefined && selects(w.allowedRoutes.selector, nsLabels);
  }
}
