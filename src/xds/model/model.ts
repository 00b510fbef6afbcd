// The mesh as the xDS generators see it: plain data built from the API server's objects (Services, EndpointSlices,
// pods, WorkloadEntries, ServiceEntries, Gateways, HTTPRoutes, VirtualServices, AuthorizationPolicies) and the Step 4
// binding rules. Generators are pure functions of this model and a proxy; golden tests feed it as YAML.

/** How a port's traffic is handled: HTTP-family ports get an HCM, the rest a TCP proxy; unknown gets both. */
export type PortProtocol = 'http' | 'http2' | 'grpc' | 'tcp' | 'tls' | 'unknown';

export interface ServicePort {
  name?: string;
  port: number;
  /** The container port (a name is resolved per endpoint, so only numbers here). */
  targetPort: number;
  protocol: PortProtocol;
  appProtocol?: string;
}

/** A waypoint reference as ztunnel gets it: the waypoint Service's hostname and the HBONE port. */
export interface WaypointRef {
  namespace: string;
  /** The waypoint Gateway's name. */
  name: string;
  /** `<name>.<ns>.svc.<domain>`. */
  hostname: string;
  port: number;
}

export interface Endpoint {
  /** The workload behind the address (`Workload.uid`), when it is one we know (pod, WorkloadEntry, inline entry). */
  workloadUid?: string;
  address: string;
  /** The service port → the endpoint's port. */
  ports: Record<number, number>;
  ready: boolean;
  /** Captured by ztunnel (ambient): reached through HBONE via `connect_originate`. */
  hbone: boolean;
  nodeName?: string;
}

/** What a Service made from a ServiceEntry carries beyond a Kubernetes Service's fields. */
export interface ServiceEntryFacts {
  /** spec.resolution; DYNAMIC_DNS entries are not modelled. NONE passes traffic to the address the client dialled. */
  resolution: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN';
  location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  subjectAltNames: string[];
  /** Whether this is the hostname's authoritative definition (istiod's `canonical`; a Kubernetes Service always is). */
  canonical: boolean;
}

export interface Service {
  /** The Service's name, or the ServiceEntry's (one model Service per host). */
  name: string;
  namespace: string;
  /** `<name>.<ns>.svc.<domain>`, or the ServiceEntry host. */
  hostname: string;
  /** Cluster IPs (none for headless), or the ServiceEntry's addresses (single IPs). */
  vips: string[];
  ports: ServicePort[];
  /** The waypoint serving this Service, from the binding rules (absent: none). */
  waypoint?: WaypointRef;
  endpoints: Endpoint[];
  /** RFC 3339, for istiod's oldest-first ordering. */
  creationTimestamp: string;
  /** Present when the Service comes from a ServiceEntry. */
  serviceEntry?: ServiceEntryFacts;
}

export interface Workload {
  /** `<clusterId>//Pod/<ns>/<name>`, `<clusterId>/networking.istio.io/WorkloadEntry/<ns>/<name>`, or for a
   * ServiceEntry's inline endpoint `<clusterId>/networking.istio.io/ServiceEntry/<ns>/<name>/<address>`. */
  uid: string;
  name: string;
  namespace: string;
  addresses: string[];
  serviceAccount: string;
  node: string;
  network: string;
  /** HBONE when the pod is captured by ztunnel, NONE otherwise. */
  tunnelProtocol: 'NONE' | 'HBONE';
  waypoint?: WaypointRef;
  canonicalName: string;
  canonicalRevision: string;
  workloadName: string;
  workloadType: 'pod' | 'deployment' | 'job' | 'cronjob';
  /** `<ns>/<hostname>` → service port → target port. */
  services: Record<string, Record<number, number>>;
  healthy: boolean;
  clusterId: string;
  /** `<ns>/<name>` of the selector/namespace AuthorizationPolicies ztunnel enforces for it. */
  authorizationPolicies: string[];
}

/** A waypoint proxy: what it is and what it serves. */
export interface Waypoint {
  name: string;
  namespace: string;
  /** The waypoint's own Service hostname. */
  hostname: string;
  serviceAccount: string;
  /** Hostnames of the Services bound to it (service traffic). */
  services: string[];
  /** UIDs of the workloads bound to it (workload traffic). */
  workloads: string[];
}

export type StringMatch =
  { type: 'Exact'; value: string } | { type: 'Prefix'; value: string } | { type: 'RegularExpression'; value: string };

export interface RouteMatch {
  path?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  headers?: { name: string; match: StringMatch; invert?: boolean }[];
  queryParams?: { name: string; match: StringMatch }[];
  method?: string;
}

export interface HeaderFilter {
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
}

export interface Backend {
  /** The destination Service's hostname. */
  host: string;
  port: number;
  weight: number;
}

export interface Fault {
  delay?: { fixedDelayMs: number; percent: number };
  /** An HTTP status, or a gRPC status code for gRPC clients. */
  abort?: { httpStatus?: number; grpcStatus?: number; percent: number };
}

export interface RouteRule {
  /** Any of these (none: everything). */
  matches: RouteMatch[];
  backends: Backend[];
  requestHeaders?: HeaderFilter;
  responseHeaders?: HeaderFilter;
  redirect?: {
    scheme?: string;
    hostname?: string;
    port?: number;
    path?: { type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; value: string };
    statusCode: number;
  };
  timeoutMs?: number;
  retry?: { attempts: number; perTryTimeoutMs?: number; retryOn?: string; backoffMs?: number };
  fault?: Fault;
}

/** The HTTP routing of one Service port, merged from the HTTPRoutes and VirtualServices that target it. */
export interface RouteTable {
  /** The Service the routes attach to (parentRef kind Service, or the VirtualService's host). */
  host: string;
  port: number;
  rules: RouteRule[];
  /** What it came from, `HTTPRoute/<ns>/<name>` or `VirtualService/<ns>/<name>`, oldest first. */
  sources: string[];
}

export interface PolicySource {
  principals?: string[];
  notPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
}

export interface PolicyOperation {
  hosts?: string[];
  notHosts?: string[];
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
}

export interface PolicyCondition {
  key: string;
  values?: string[];
  notValues?: string[];
}

export interface PolicyRule {
  from?: { source: PolicySource }[];
  to?: { operation: PolicyOperation }[];
  when?: PolicyCondition[];
}

export interface AuthorizationPolicy {
  name: string;
  namespace: string;
  action: 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';
  /** targetRefs: enforced by waypoints (Gateway / Service / GatewayClass). Empty: selector or namespace scoped. */
  targetRefs: { group: string; kind: string; name: string }[];
  /** spec.selector.matchLabels, for ztunnel's WORKLOAD_SELECTOR scope. */
  selector?: Record<string, string>;
  rules: PolicyRule[];
}

export interface MeshModel {
  clusterId: string;
  network: string;
  trustDomain: string;
  clusterDomain: string;
  /** The root namespace (the control plane's): GatewayClass-targeted and mesh-wide policies live there. */
  rootNamespace: string;
  services: Service[];
  workloads: Workload[];
  waypoints: Waypoint[];
  routes: RouteTable[];
  authorizationPolicies: AuthorizationPolicy[];
}
