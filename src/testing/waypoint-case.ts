// The input of a golden case (testdata/<case>.in.yaml): a MeshModel with defaults for what cases seldom vary, and
// `waypoint: <ns>/<name>`, the waypoint to generate for. Services bind to a waypoint with `waypoint: <ns>/<name>`;
// a ServiceEntry host is a Service with `hostname` and `serviceEntry` set.
import { z } from 'zod';
import type { MeshModel, Waypoint } from '../xds/model/model.ts';
import { PolicyRuleFixture } from './policy-rule-fixture.ts';
import { ServiceEntryFacts } from './mesh-case.ts';

const DOMAIN = 'cluster.local';

const ref = z.string().transform((s) => {
  const [namespace = '', name = ''] = s.split('/');
  return { namespace, name, hostname: `${name}.${namespace}.svc.${DOMAIN}`, port: 15008 };
});

const Port = z
  .strictObject({
    name: z.string().optional(),
    port: z.number(),
    targetPort: z.number().optional(),
    protocol: z.enum(['http', 'http2', 'grpc', 'tcp', 'tls', 'unknown']).default('http'),
    appProtocol: z.string().optional(),
  })
  .transform((p) => ({ ...p, targetPort: p.targetPort ?? p.port }));

const Endpoint = z.strictObject({
  workloadUid: z.string().optional(),
  address: z.string(),
  ports: z.record(z.string(), z.number()).default({}),
  ready: z.boolean().default(true),
  hbone: z.boolean().default(true),
  nodeName: z.string().optional(),
});

export const Service = z
  .strictObject({
    name: z.string(),
    namespace: z.string().default('default'),
    hostname: z.string().optional(),
    vips: z.array(z.string()).default([]),
    ports: z.array(Port),
    waypoint: ref.optional(),
    endpoints: z.array(Endpoint).default([]),
    creationTimestamp: z.string().default('2026-01-01T00:00:00Z'),
    serviceEntry: ServiceEntryFacts.optional(),
  })
  .transform(({ hostname, ...s }) => ({ ...s, hostname: hostname ?? `${s.name}.${s.namespace}.svc.${DOMAIN}` }));

const StringMatch = z.strictObject({ type: z.enum(['Exact', 'Prefix', 'RegularExpression']), value: z.string() });
const Headers = z.strictObject({
  set: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  add: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  remove: z.array(z.string()).optional(),
});

const Rule = z.strictObject({
  matches: z
    .array(
      z.strictObject({
        path: z
          .strictObject({ type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']), value: z.string() })
          .optional(),
        headers: z
          .array(z.strictObject({ name: z.string(), match: StringMatch, invert: z.boolean().optional() }))
          .optional(),
        queryParams: z.array(z.strictObject({ name: z.string(), match: StringMatch })).optional(),
        method: z.string().optional(),
      }),
    )
    .default([]),
  backends: z.array(z.strictObject({ host: z.string(), port: z.number(), weight: z.number().default(1) })).default([]),
  requestHeaders: Headers.optional(),
  responseHeaders: Headers.optional(),
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
  fault: z
    .strictObject({
      delay: z.strictObject({ fixedDelayMs: z.number(), percent: z.number() }).optional(),
      abort: z
        .strictObject({ httpStatus: z.number().optional(), grpcStatus: z.number().optional(), percent: z.number() })
        .optional(),
    })
    .optional(),
});

export const Route = z.strictObject({
  host: z.string(),
  port: z.number(),
  rules: z.array(Rule),
  sources: z.array(z.string()).default([]),
});

export const Policy = z.strictObject({
  name: z.string(),
  namespace: z.string().default('default'),
  action: z.enum(['ALLOW', 'DENY', 'CUSTOM', 'AUDIT']).default('ALLOW'),
  targetRefs: z.array(z.strictObject({ group: z.string().default(''), kind: z.string(), name: z.string() })),
  selector: z.record(z.string(), z.string()).optional(),
  rules: z.array(PolicyRuleFixture).default([]),
});

export const GoldenCase = z
  .strictObject({
    description: z.string(),
    waypoint: ref,
    trustDomain: z.string().default(DOMAIN),
    rootNamespace: z.string().default('istio-system'),
    services: z.array(Service).default([]),
    routes: z.array(Route).default([]),
    authorizationPolicies: z.array(Policy).default([]),
  })
  .transform(({ description, waypoint: w, ...rest }): { description: string; model: MeshModel; waypoint: Waypoint } => {
    const waypoint: Waypoint = {
      name: w.name,
      namespace: w.namespace,
      hostname: w.hostname,
      serviceAccount: w.name,
      services: rest.services
        .filter((s) => s.waypoint?.namespace === w.namespace && s.waypoint.name === w.name)
        .map((s) => s.hostname),
      workloads: [],
    };
    const model: MeshModel = {
      clusterId: 'Kubernetes',
      network: '',
      clusterDomain: DOMAIN,
      workloads: [],
      waypoints: [waypoint],
      ...rest,
    };
    return { description, model, waypoint };
  });
