// Telemetry (telemetry.istio.io): metrics, access logging and tracing settings for workloads.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { Duration, istioCrd, onlyOneTarget, policyTargets } from './common.ts';

const Providers = z.array(z.object({ name: z.string().min(1) })).optional();
const WorkloadMode = z.enum(['CLIENT_AND_SERVER', 'CLIENT', 'SERVER']);
const Match = z.object({ mode: WorkloadMode.optional() }).optional();
const optionalBool = z.boolean().nullable().optional();

const metricNames = [
  'ALL_METRICS',
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
] as const;

const operation = "(has(self.operation) ? self.operation : '')";
const TagOverride = z
  .object({ operation: z.enum(['UPSERT', 'REMOVE']).optional(), value: z.string().optional() })
  .meta({
    'x-kubernetes-validations': [
      { rule: `${operation} != 'UPSERT' || self.value != ''`, message: 'value must be set when operation is UPSERT' },
      {
        rule: `${operation} != 'REMOVE' || !has(self.value)`,
        message: 'value must not be set when operation is REMOVE',
      },
    ],
  });

const Metrics = z.object({
  providers: Providers,
  overrides: z
    .array(
      z.object({
        match: z
          .object({
            metric: z.enum(metricNames).optional(),
            customMetric: z.string().min(1).optional(),
            mode: WorkloadMode.optional(),
          })
          .meta({ atMostOneOf: ['metric', 'customMetric'] })
          .optional(),
        disabled: optionalBool,
        tagOverrides: z.record(z.string(), TagOverride).optional(),
      }),
    )
    .optional(),
  reportingInterval: Duration.optional(),
});

const named = z.object({ name: z.string().min(1), defaultValue: z.string().optional() });
const valued = z.object({ value: z.string().min(1) });
const CustomTag = z
  .object({
    literal: valued.optional(),
    environment: named.optional(),
    header: named.optional(),
    formatter: valued.optional(),
  })
  .meta({ atMostOneOf: ['literal', 'environment', 'header', 'formatter'] });

const Tracing = z.object({
  match: Match,
  providers: Providers,
  randomSamplingPercentage: z.number().min(0).max(100).nullable().optional(),
  disableSpanReporting: optionalBool,
  disableContextPropagation: optionalBool,
  enableIstioTags: optionalBool,
  useRequestIdForTraceSampling: optionalBool,
  customTags: z.record(z.string(), CustomTag).optional(),
});

const AccessLogging = z.object({
  match: Match,
  providers: Providers,
  disabled: optionalBool,
  filter: z.object({ expression: z.string().optional() }).optional(),
});

export const TelemetrySpec = z
  .object({
    ...policyTargets,
    tracing: z.array(Tracing).optional(),
    metrics: z.array(Metrics).optional(),
    accessLogging: z.array(AccessLogging).optional(),
  })
  .meta({ 'x-kubernetes-validations': [onlyOneTarget] });

export const telemetryCrd = istioCrd({
  group: 'telemetry.istio.io',
  kind: 'Telemetry',
  plural: 'telemetries',
  shortNames: ['telemetry'],
  versions: ['v1', 'v1alpha1'],
  storage: 'v1alpha1',
  description: 'Metrics, access logging and tracing configuration for workloads.',
  spec: TelemetrySpec,
  columns: [ageColumn],
});
