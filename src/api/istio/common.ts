// Building blocks shared by Istio's kinds (istio.io/api): selectors, policy target references, durations, ports,
// string matches and one-of rules. Validation messages are Istio's, so users see the errors they know.
import { z } from 'zod';
import { type CelRule, type CrdDefinition, type CrdVersion, type PrinterColumn } from '../crd/definition.ts';

export const uint32 = z.int().min(0).max(4294967295);

const portRange = { rule: '0 < self && self <= 65535', message: 'port must be between 1-65535' };
/** A port number: Istio declares uint32 and checks the range with CEL. */
export const Port = uint32.meta({ 'x-kubernetes-validations': [portRange] });

/** A protobuf Duration written as a string, e.g. "5s". */
export const Duration = z.string().meta({
  'x-kubernetes-validations': [
    { rule: "duration(self) >= duration('1ms')", message: 'must be a valid duration greater than 1ms' },
  ],
});

export const Percent = z.object({ value: z.number().optional() });

export const StringMap = z.record(z.string(), z.string());

/** `(has(a) ? 1 : 0) + … <= 1`: at most one of the fields, Istio's own idiom for its one-ofs. */
export function atMostOne(fields: string[], message = `only one of ${fields.join(', ')} can be set`): CelRule {
  return { rule: `${fields.map((f) => `(has(self.${f}) ? 1 : 0)`).join(' + ')} <= 1`, message };
}

export const StringMatch = z
  .object({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() })
  .meta({ atMostOneOf: ['exact', 'prefix', 'regex'] });

/** Label selector of workloads (`selector.matchLabels`), with Istio's wildcard rules. */
export const WorkloadSelector = z.object({
  matchLabels: z
    .record(
      z.string(),
      z
        .string()
        .max(63)
        .meta({
          'x-kubernetes-validations': [
            { rule: '!self.contains("*")', message: 'wildcard not allowed in label value match' },
          ],
        }),
    )
    .optional()
    .meta({
      maxProperties: 4096,
      'x-kubernetes-validations': [
        { rule: 'self.all(key, !key.contains("*"))', message: 'wildcard not allowed in label key match' },
        { rule: 'self.all(key, key.size() != 0)', message: 'key must not be empty' },
      ],
    }),
});

/** A reference to the Gateway or Service a policy applies to. */
export const PolicyTargetReference = z.object({
  group: z
    .string()
    .max(253)
    .regex(/^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
    .optional(),
  kind: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/),
  name: z.string().min(1).max(253),
  namespace: z
    .string()
    .optional()
    .meta({
      'x-kubernetes-validations': [
        { rule: 'self.size() == 0', message: 'cross namespace referencing is not currently supported' },
      ],
    }),
});
export type PolicyTargetReference = z.infer<typeof PolicyTargetReference>;

/** The fields by which a policy chooses what it applies to: a workload selector or Gateway/Service references. */
export const policyTargets = {
  selector: WorkloadSelector.optional(),
  targetRef: PolicyTargetReference.optional(),
  targetRefs: z.array(PolicyTargetReference).max(16).optional(),
};
export const onlyOneTarget = atMostOne(
  ['selector', 'targetRef', 'targetRefs'],
  'only one of targetRefs or selector can be set',
);

/** Istio writes its own status (conditions, validation messages); Ambit keeps it as written. */
export const IstioStatus = z.unknown();

export interface IstioKind {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  /** Version names in upstream's order, and which one is stored. */
  versions: string[];
  storage: string;
  description: string;
  spec: z.core.$ZodType;
  requireSpec?: boolean;
  columns?: PrinterColumn[];
}

/** A namespaced Istio kind served in every listed version with the same schema. */
export function istioCrd(k: IstioKind): CrdDefinition {
  const version = (name: string): CrdVersion => ({
    name,
    served: true,
    storage: name === k.storage,
    description: k.description,
    spec: k.spec,
    status: IstioStatus,
    printerColumns: k.columns ?? [],
    ...(k.requireSpec ? { requireSpec: true } : {}),
  });
  return {
    group: k.group,
    kind: k.kind,
    plural: k.plural,
    singular: k.kind.toLowerCase(),
    ...(k.shortNames ? { shortNames: k.shortNames } : {}),
    categories: ['istio-io', k.group.replaceAll('.', '-')],
    scope: 'Namespaced',
    versions: k.versions.map(version),
  };
}
