// DestinationRule (networking.istio.io): traffic policies (connection pools, load balancing, outlier detection,
// TLS) and subsets of a host.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { Duration, istioCrd, StringMap, uint32, WorkloadSelector } from './common.ts';

const int32 = z.int32().optional();
const optionalBool = z.boolean().nullable().optional();
const percent = z.number().min(0).max(100).nullable().optional();
const failover = z.array(z.object({ from: z.string().optional(), to: z.string().optional() })).optional();
const failoverPriority = z.array(z.string()).optional();

const ConnectionPool = z.object({
  tcp: z
    .object({
      maxConnections: int32,
      connectTimeout: Duration.optional(),
      tcpKeepalive: z
        .object({ probes: uint32.optional(), time: Duration.optional(), interval: Duration.optional() })
        .optional(),
      maxConnectionDuration: Duration.optional(),
      idleTimeout: z.string().optional(),
    })
    .optional(),
  http: z
    .object({
      http1MaxPendingRequests: int32,
      http2MaxRequests: int32,
      maxRequestsPerConnection: int32,
      maxRetries: int32,
      idleTimeout: Duration.optional(),
      h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
      useClientProtocol: z.boolean().optional(),
      maxConcurrentStreams: int32,
      http2KeepAlive: z.object({ interval: Duration.optional(), timeout: Duration.optional() }).optional(),
    })
    .optional(),
});

const LoadBalancer = z
  .object({
    simple: z.enum(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST']).optional(),
    consistentHash: z
      .object({
        httpHeaderName: z.string().optional(),
        httpCookie: z
          .object({
            name: z.string(),
            path: z.string().optional(),
            ttl: z.string().optional(),
            attributes: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
          })
          .optional(),
        useSourceIp: z.boolean().optional(),
        httpQueryParameterName: z.string().optional(),
        ringHash: z.object({ minimumRingSize: z.int().min(0).optional() }).optional(),
        maglev: z.object({ tableSize: z.int().min(0).optional() }).optional(),
        minimumRingSize: z.int().min(0).optional(),
      })
      .optional(),
    localityLbSetting: z
      .object({
        distribute: z
          .array(z.object({ from: z.string().optional(), to: z.record(z.string(), uint32).optional() }))
          .optional(),
        failover,
        failoverPriority,
        enabled: optionalBool,
      })
      .optional(),
    zoneAwareLbSetting: z
      .object({
        enabled: optionalBool,
        failover,
        failoverPriority,
        minClusterSize: z.int().min(1).max(4294967295).nullable().optional(),
      })
      .optional(),
    warmupDurationSecs: Duration.optional(),
    warmup: z
      .object({
        duration: Duration,
        minimumPercent: percent,
        aggression: z.number().min(0).nullable().optional(),
      })
      .optional(),
  })
  .meta({ atMostOneOf: ['simple', 'consistentHash'] });

const OutlierDetection = z.object({
  splitExternalLocalOriginErrors: z.boolean().optional(),
  consecutiveLocalOriginFailures: uint32.nullable().optional(),
  consecutiveGatewayErrors: uint32.nullable().optional(),
  consecutive5xxErrors: uint32.nullable().optional(),
  consecutiveErrors: int32,
  interval: Duration.optional(),
  baseEjectionTime: Duration.optional(),
  maxEjectionPercent: int32,
  minHealthPercent: int32,
  outlierDetectionHttpErrorCodes: z.array(z.int().min(100).max(599)).optional(),
});

const ClientTLSSettings = z.object({
  mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).optional(),
  clientCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  subjectAltNames: z.array(z.string()).optional(),
  sni: z.string().optional(),
  insecureSkipVerify: optionalBool,
  caCrl: z.string().optional(),
});

const perPortPolicy = {
  connectionPool: ConnectionPool.optional(),
  loadBalancer: LoadBalancer.optional(),
  outlierDetection: OutlierDetection.optional(),
  tls: ClientTLSSettings.optional(),
};

export const TrafficPolicy = z.object({
  ...perPortPolicy,
  portLevelSettings: z
    .array(z.object({ port: z.object({ number: uint32.optional() }).optional(), ...perPortPolicy }))
    .max(4096)
    .optional(),
  tunnel: z.object({ protocol: z.string().optional(), targetHost: z.string(), targetPort: uint32 }).optional(),
  proxyProtocol: z.object({ version: z.enum(['V1', 'V2']).optional() }).optional(),
  retryBudget: z
    .object({ percent, minRetryConcurrency: uint32.optional(), budgetInterval: z.string().optional() })
    .optional(),
});

export const DestinationRuleSpec = z.object({
  host: z.string(),
  trafficPolicy: TrafficPolicy.optional(),
  subsets: z
    .array(z.object({ name: z.string(), labels: StringMap.optional(), trafficPolicy: TrafficPolicy.optional() }))
    .optional(),
  exportTo: z.array(z.string()).optional(),
  workloadSelector: WorkloadSelector.optional(),
});
export type DestinationRuleSpec = z.infer<typeof DestinationRuleSpec>;

export const destinationRuleCrd = istioCrd({
  group: 'networking.istio.io',
  kind: 'DestinationRule',
  plural: 'destinationrules',
  shortNames: ['dr'],
  versions: ['v1', 'v1alpha3', 'v1beta1'],
  storage: 'v1',
  description: 'Policies applied to traffic for a host after routing, and its named subsets.',
  spec: DestinationRuleSpec,
  columns: [
    { name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The name of the service in the registry.' },
    ageColumn,
  ],
});
