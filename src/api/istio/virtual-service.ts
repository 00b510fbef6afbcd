// VirtualService (networking.istio.io): HTTP, TLS and TCP routing rules for hosts. Ambit's waypoints read `fault`
// (and the rest of the HTTP route) for hosts bound to them.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { Duration, istioCrd, Percent, StringMap, StringMatch, uint32 } from './common.ts';

const strings = z.array(z.string()).optional();
const Destination = z.object({
  host: z.string(),
  subset: z.string().optional(),
  port: z.object({ number: uint32.optional() }).optional(),
});
const HeaderOperations = z.object({ set: StringMap.optional(), add: StringMap.optional(), remove: strings });
const Headers = z.object({ request: HeaderOperations.optional(), response: HeaderOperations.optional() });
const matchMap = z.record(z.string(), StringMatch).optional();

export const HTTPMatchRequest = z.object({
  name: z.string().optional(),
  uri: StringMatch.optional(),
  scheme: StringMatch.optional(),
  method: StringMatch.optional(),
  authority: StringMatch.optional(),
  headers: matchMap,
  port: uint32.optional(),
  sourceLabels: StringMap.optional(),
  gateways: strings,
  queryParams: matchMap,
  ignoreUriCase: z.boolean().optional(),
  withoutHeaders: matchMap,
  sourceNamespace: z.string().optional(),
  statPrefix: z.string().optional(),
});

export const HTTPFaultInjection = z.object({
  delay: z
    .object({
      fixedDelay: Duration.optional(),
      exponentialDelay: Duration.optional(),
      percentage: Percent.optional(),
      percent: z.int32().optional(),
    })
    .meta({ atMostOneOf: ['fixedDelay', 'exponentialDelay'] })
    .optional(),
  abort: z
    .object({
      httpStatus: z.int32().optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: Percent.optional(),
    })
    .meta({ atMostOneOf: ['httpStatus', 'grpcStatus', 'http2Error'] })
    .optional(),
});
export type HTTPFaultInjection = z.infer<typeof HTTPFaultInjection>;

const HTTPRouteDestination = z.object({
  destination: Destination,
  weight: z.int32().optional(),
  headers: Headers.optional(),
});

export const HTTPRoute = z.object({
  name: z.string().optional(),
  match: z.array(HTTPMatchRequest).optional(),
  route: z.array(HTTPRouteDestination).optional(),
  redirect: z
    .object({
      uri: z.string().optional(),
      authority: z.string().optional(),
      port: uint32.optional(),
      derivePort: z.enum(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']).optional(),
      scheme: z.string().optional(),
      redirectCode: uint32.optional(),
      prefixRewrite: z.string().optional(),
    })
    .meta({ atMostOneOf: ['port', 'derivePort'] })
    .optional(),
  directResponse: z
    .object({
      status: uint32,
      body: z
        .object({ string: z.string().optional(), bytes: z.string().meta({ format: 'byte' }).optional() })
        .meta({ atMostOneOf: ['string', 'bytes'] })
        .optional(),
    })
    .optional(),
  delegate: z.object({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
  rewrite: z
    .object({
      uri: z.string().optional(),
      authority: z.string().optional(),
      uriRegexRewrite: z.object({ match: z.string().optional(), rewrite: z.string().optional() }).optional(),
    })
    .optional(),
  timeout: Duration.optional(),
  retries: z
    .object({
      attempts: z.int32().optional(),
      perTryTimeout: Duration.optional(),
      retryOn: z.string().optional(),
      retryRemoteLocalities: z.boolean().nullable().optional(),
      retryIgnorePreviousHosts: z.boolean().nullable().optional(),
      backoff: Duration.optional(),
    })
    .optional(),
  fault: HTTPFaultInjection.optional(),
  mirror: Destination.optional(),
  mirrors: z.array(z.object({ destination: Destination, percentage: Percent.optional() })).optional(),
  mirrorPercent: uint32.nullable().optional(),
  mirror_percent: uint32.nullable().optional(),
  mirrorPercentage: Percent.optional(),
  corsPolicy: z
    .object({
      allowOrigin: strings,
      allowOrigins: z.array(StringMatch).optional(),
      allowMethods: strings,
      allowHeaders: strings,
      exposeHeaders: strings,
      maxAge: Duration.optional(),
      allowCredentials: z.boolean().nullable().optional(),
      unmatchedPreflights: z.enum(['UNSPECIFIED', 'FORWARD', 'IGNORE']).optional(),
    })
    .optional(),
  headers: Headers.optional(),
});
export type HTTPRoute = z.infer<typeof HTTPRoute>;

const l4Match = {
  destinationSubnets: strings,
  port: uint32.optional(),
  sourceLabels: StringMap.optional(),
  gateways: strings,
  sourceNamespace: z.string().optional(),
};
const RouteDestination = z.object({ destination: Destination, weight: z.int32().optional() });

export const VirtualServiceSpec = z.object({
  hosts: strings,
  gateways: strings,
  http: z.array(HTTPRoute).optional(),
  tls: z
    .array(
      z.object({
        match: z.array(z.object({ ...l4Match, sniHosts: z.array(z.string()) })),
        route: z.array(RouteDestination).optional(),
      }),
    )
    .optional(),
  tcp: z
    .array(
      z.object({
        match: z.array(z.object({ ...l4Match, sourceSubnet: z.string().optional() })).optional(),
        route: z.array(RouteDestination).optional(),
      }),
    )
    .optional(),
  exportTo: strings,
});
export type VirtualServiceSpec = z.infer<typeof VirtualServiceSpec>;

export const virtualServiceCrd = istioCrd({
  group: 'networking.istio.io',
  kind: 'VirtualService',
  plural: 'virtualservices',
  shortNames: ['vs'],
  versions: ['v1', 'v1alpha3', 'v1beta1'],
  storage: 'v1',
  description: 'Routing rules for hosts: matches, destinations, retries, timeouts and fault injection.',
  spec: VirtualServiceSpec,
  columns: [
    { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The gateways the rules apply to.' },
    {
      name: 'Hosts',
      type: 'string',
      jsonPath: '.spec.hosts',
      description: 'The destination hosts the rules apply to.',
    },
    ageColumn,
  ],
});
