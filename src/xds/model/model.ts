// The mesh as the xDS generators see it: plain data built from the API server's objects (Services, EndpointSlices,
// pods, WorkloadEntries, ServiceEntries, Gateways, HTTPRoutes, VirtualServices, AuthorizationPolicies) and the
// binding rules (src/ambient). Generators are pure functions of this model and a proxy. One zod schema is both the
// type (z.infer) and the golden tests' input format: strict, so a misspelt field fails the test instead of being
// ignored, with defaults for what test cases seldom vary (the model builder always sets every field).
import { z } from 'zod';

const strings = z.array(z.string());

/** How a port's traffic is handled: HTTP-family ports get an HCM, the rest a TCP proxy; unknown gets both. */
export const PortProtocol = z.enum(['http', 'http2', 'grpc', 'tcp', 'tls', 'unknown']);
export type PortProtocol = z.infer<typeof PortProtocol>;

export const ServicePort = z.strictObject({
  name: z.string().optional(),
  port: z.number(),
  /** The container port (a name is resolved per endpoint, so only numbers here: the service port stands in). */
  targetPort: z.number(),
  /** The Service's targetPort when it names a container port: each workload's own number, none for the Service. */
  targetPortName: z.string().optional(),
  protocol: PortProtocol.default('http'),
  appProtocol: z.string().optional(),
});
export type ServicePort = z.infer<typeof ServicePort>;

/** A waypoint reference as ztunnel gets it: the waypoint Service's hostname and the HBONE port. */
export const WaypointRef = z.strictObject({
  namespace: z.string(),
  /** The waypoint Gateway's name. */
  name: z.string(),
  /** `<name>.<ns>.svc.<domain>`. */
  hostname: z.string(),
  port: z.number().default(15008),
});
export type WaypointRef = z.infer<typeof WaypointRef>;

/** Service port → the endpoint's port (JSON keys, so written as strings). */
const PortMap = z.record(z.string(), z.number());

export const Endpoint = z.strictObject({
  /** The workload behind the address (`Workload.uid`), when it is one we know (pod, WorkloadEntry, inline entry). */
  workloadUid: z.string().optional(),
  address: z.string(),
  /** The service port → the endpoint's port. */
  ports: PortMap.default({}),
  ready: z.boolean().default(true),
  /** Captured by ztunnel (ambient): reached through HBONE via `connect_originate`. */
  hbone: z.boolean().default(true),
  nodeName: z.string().optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

/** What a Service made from a ServiceEntry carries beyond a Kubernetes Service's fields. */
export const ServiceEntryFacts = z.strictObject({
  /** spec.resolution; DYNAMIC_DNS entries are not modelled. NONE passes traffic to the address the client dialled. */
  resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']).default('STATIC'),
  location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).default('MESH_EXTERNAL'),
  subjectAltNames: strings.default([]),
  /** Whether this is the hostname's authoritative definition (istiod's `canonical`; a Kubernetes Service always is). */
  canonical: z.boolean().default(true),
});
export type ServiceEntryFacts = z.infer<typeof ServiceEntryFacts>;

/** How ztunnel picks among a Service's endpoints (the workload API's LoadBalancing). */
export const LoadBalancing = z.strictObject({
  mode: z.enum(['STRICT', 'FAILOVER', 'PASSTHROUGH']).optional(),
  routingPreference: z.array(z.enum(['NETWORK', 'REGION', 'ZONE', 'SUBZONE', 'NODE', 'CLUSTER'])).optional(),
  healthPolicy: z.enum(['ALLOW_ALL']).optional(),
});
export type LoadBalancing = z.infer<typeof LoadBalancing>;

export const Service = z.strictObject({
  /** The Service's name, or the ServiceEntry's (one model Service per host). */
  name: z.string(),
  namespace: z.string().default('default'),
  /** `<name>.<ns>.svc.<domain>`, or the ServiceEntry host. */
  hostname: z.string(),
  /** Cluster IPs (none for headless), or the ServiceEntry's addresses (single IPs). */
  vips: strings.default([]),
  ports: z.array(ServicePort).default([]),
  /** The waypoint serving this Service, from the binding rules (absent: none). */
  waypoint: WaypointRef.optional(),
  endpoints: z.array(Endpoint).default([]),
  /** RFC 3339, for istiod's oldest-first ordering. */
  creationTimestamp: z.string().default('2026-01-01T00:00:00Z'),
  /** Present when the Service comes from a ServiceEntry. */
  serviceEntry: ServiceEntryFacts.optional(),
  /** spec.ipFamilies of a Kubernetes Service (a headless one has them too); absent: from the VIPs. */
  ipFamilies: z.enum(['IPV4_ONLY', 'IPV6_ONLY', 'DUAL']).optional(),
  /** From trafficDistribution (or its Istio annotation), internalTrafficPolicy and publishNotReadyAddresses. */
  loadBalancing: LoadBalancing.optional(),
});
export type Service = z.infer<typeof Service>;

export const Workload = z.strictObject({
  /** `<clusterId>//Pod/<ns>/<name>`, `<clusterId>/networking.istio.io/WorkloadEntry/<ns>/<name>`, or for a
   * ServiceEntry's inline endpoint `<clusterId>/networking.istio.io/ServiceEntry/<ns>/<name>/<address>`. */
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  addresses: strings,
  serviceAccount: z.string().default('default'),
  node: z.string().default(''),
  network: z.string().default(''),
  /** HBONE once its traffic is redirected to ztunnel (or it speaks HBONE itself), NONE otherwise. */
  tunnelProtocol: z.enum(['NONE', 'HBONE']).default('HBONE'),
  /** It terminates HBONE itself, with no ztunnel in front of it. */
  nativeTunnel: z.boolean().default(false),
  waypoint: WaypointRef.optional(),
  canonicalName: z.string().default(''),
  canonicalRevision: z.string().default(''),
  workloadName: z.string().default(''),
  /** `<ns>/<hostname>` → service port → target port. */
  services: z.record(z.string(), PortMap).default({}),
  healthy: z.boolean().default(true),
  clusterId: z.string().default('Kubernetes'),
  /** `<ns>/<name>` of the selector/namespace AuthorizationPolicies ztunnel enforces for it. */
  authorizationPolicies: strings.default([]),
});
export type Workload = z.infer<typeof Workload>;

/** A waypoint proxy: what it is and what it serves. */
export const Waypoint = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  /** The waypoint's own Service hostname. */
  hostname: z.string(),
  serviceAccount: z.string(),
  /** Hostnames of the Services bound to it (service traffic). */
  services: strings.default([]),
  /** UIDs of the workloads bound to it (workload traffic). */
  workloads: strings.default([]),
});
export type Waypoint = z.infer<typeof Waypoint>;

export const StringMatch = z.strictObject({
  type: z.enum(['Exact', 'Prefix', 'RegularExpression']),
  value: z.string(),
});
export type StringMatch = z.infer<typeof StringMatch>;

export const RouteMatch = z.strictObject({
  path: z.strictObject({ type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']), value: z.string() }).optional(),
  headers: z.array(z.strictObject({ name: z.string(), match: StringMatch, invert: z.boolean().optional() })).optional(),
  queryParams: z.array(z.strictObject({ name: z.string(), match: StringMatch })).optional(),
  method: z.string().optional(),
});
export type RouteMatch = z.infer<typeof RouteMatch>;

const NameValue = z.strictObject({ name: z.string(), value: z.string() });

export const HeaderFilter = z.strictObject({
  set: z.array(NameValue).optional(),
  add: z.array(NameValue).optional(),
  remove: strings.optional(),
});
export type HeaderFilter = z.infer<typeof HeaderFilter>;

export const Backend = z.strictObject({
  /** The destination Service's hostname. */
  host: z.string(),
  port: z.number(),
  weight: z.number().default(1),
});
export type Backend = z.infer<typeof Backend>;

export const Fault = z.strictObject({
  delay: z.strictObject({ fixedDelayMs: z.number(), percent: z.number() }).optional(),
  /** An HTTP status, or a gRPC status code for gRPC clients. */
  abort: z
    .strictObject({ httpStatus: z.number().optional(), grpcStatus: z.number().optional(), percent: z.number() })
    .optional(),
});
export type Fault = z.infer<typeof Fault>;

export const RouteRule = z.strictObject({
  /** Any of these (none: everything). */
  matches: z.array(RouteMatch).default([]),
  backends: z.array(Backend).default([]),
  requestHeaders: HeaderFilter.optional(),
  responseHeaders: HeaderFilter.optional(),
  redirect: z
    .strictObject({
      scheme: z.string().optional(),
      hostname: z.string().optional(),
      port: z.number().optional(),
      path: z.strictObject({ type: z.enum(['ReplaceFullPath', 'ReplacePrefixMatch']), value: z.string() }).optional(),
      statusCode: z.number().default(302),
    })
    .optional(),
  timeoutMs: z.number().optional(),
  retry: z
    .strictObject({
      attempts: z.number(),
      perTryTimeoutMs: z.number().optional(),
      retryOn: z.string().optional(),
      backoffMs: z.number().optional(),
    })
    .optional(),
  fault: Fault.optional(),
});
export type RouteRule = z.infer<typeof RouteRule>;

/** The HTTP routing of one Service port, merged from the HTTPRoutes and VirtualServices that target it. */
export const RouteTable = z.strictObject({
  /** The Service the routes attach to (parentRef kind Service, or the VirtualService's host). */
  host: z.string(),
  port: z.number(),
  rules: z.array(RouteRule),
  /** What it came from, `HTTPRoute/<ns>/<name>` or `VirtualService/<ns>/<name>`, oldest first. */
  sources: strings.default([]),
});
export type RouteTable = z.infer<typeof RouteTable>;

export const PolicySource = z.strictObject({
  principals: strings.optional(),
  notPrincipals: strings.optional(),
  namespaces: strings.optional(),
  notNamespaces: strings.optional(),
  ipBlocks: strings.optional(),
  notIpBlocks: strings.optional(),
});
export type PolicySource = z.infer<typeof PolicySource>;

export const PolicyOperation = z.strictObject({
  hosts: strings.optional(),
  notHosts: strings.optional(),
  ports: strings.optional(),
  notPorts: strings.optional(),
  methods: strings.optional(),
  notMethods: strings.optional(),
  paths: strings.optional(),
  notPaths: strings.optional(),
});
export type PolicyOperation = z.infer<typeof PolicyOperation>;

export const PolicyCondition = z.strictObject({
  key: z.string(),
  values: strings.optional(),
  notValues: strings.optional(),
});
export type PolicyCondition = z.infer<typeof PolicyCondition>;

export const PolicyRule = z.strictObject({
  from: z.array(z.strictObject({ source: PolicySource })).optional(),
  to: z.array(z.strictObject({ operation: PolicyOperation })).optional(),
  when: z.array(PolicyCondition).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

export const AuthorizationPolicy = z.strictObject({
  name: z.string(),
  namespace: z.string().default('default'),
  action: z.enum(['ALLOW', 'DENY', 'CUSTOM', 'AUDIT']).default('ALLOW'),
  /** targetRefs: enforced by waypoints (Gateway / Service / GatewayClass). Empty: selector or namespace scoped. */
  targetRefs: z
    .array(z.strictObject({ group: z.string().default(''), kind: z.string(), name: z.string() }))
    .default([]),
  /** spec.selector.matchLabels, for ztunnel's WORKLOAD_SELECTOR scope. */
  selector: z.record(z.string(), z.string()).optional(),
  rules: z.array(PolicyRule).default([]),
});
export type AuthorizationPolicy = z.infer<typeof AuthorizationPolicy>;

export const MeshModel = z.strictObject({
  clusterId: z.string().default('Kubernetes'),
  network: z.string().default(''),
  trustDomain: z.string().default('cluster.local'),
  clusterDomain: z.string().default('cluster.local'),
  /** The root namespace (the control plane's): GatewayClass-targeted and mesh-wide policies live there. */
  rootNamespace: z.string().default('istio-system'),
  services: z.array(Service).default([]),
  workloads: z.array(Workload).default([]),
  waypoints: z.array(Waypoint).default([]),
  routes: z.array(RouteTable).default([]),
  authorizationPolicies: z.array(AuthorizationPolicy).default([]),
});
export type MeshModel = z.infer<typeof MeshModel>;
