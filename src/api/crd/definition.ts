// A CustomResourceDefinition described in TypeScript (zod schemas per version) and rendered to the object that
// `kubectl apply` takes. One definition per kind; `make generate` writes them to crds/.
import type { z } from 'zod';
import { toStructural, type JSONSchemaProps } from './structural.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface CelRule {
  rule: string;
  message: string;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  /** Describes the kind in this version (the root schema's description). */
  description: string;
  spec: z.core.$ZodType;
  status: z.core.$ZodType;
  printerColumns: PrinterColumn[];
  /** Objects without a spec are refused (some Istio kinds). */
  requireSpec?: boolean;
  /** Rules on the whole object, e.g. on `self.metadata.name`, which only the root schema can see. */
  rootValidations?: CelRule[];
}

export interface CrdDefinition {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories: string[];
  scope: 'Cluster' | 'Namespaced';
  versions: CrdVersion[];
}

export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export function crdName(d: CrdDefinition): string {
  return `${d.plural}.${d.group}`;
}

export function renderCrd(d: CrdDefinition): Record<string, unknown> {
  const storage = d.versions.filter((v) => v.storage);
  if (storage.length !== 1)
    throw new Error(`${crdName(d)}: exactly one storage version is needed, found ${storage.length}`);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(d) },
    spec: {
      group: d.group,
      names: {
        kind: d.kind,
        listKind: `${d.kind}List`,
        plural: d.plural,
        singular: d.singular,
        ...(d.shortNames ? { shortNames: d.shortNames } : {}),
        categories: d.categories,
      },
      scope: d.scope,
      versions: d.versions.map((v) => renderVersion(d, v)),
    },
  };
}

function renderVersion(d: CrdDefinition, v: CrdVersion): Record<string, unknown> {
  const path = `${d.kind}.${v.name}`;
  const root: JSONSchemaProps = {
    type: 'object',
    description: v.description,
    properties: {
      apiVersion: {
        type: 'string',
        description: 'APIVersion defines the versioned schema of this representation of an object.',
      },
      kind: {
        type: 'string',
        description: 'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: { type: 'object' },
      spec: toStructural(v.spec, `${path}.spec`),
      status: toStructural(v.status, `${path}.status`),
    },
  };
  if (v.requireSpec) root.required = ['spec'];
  if (v.rootValidations) root['x-kubernetes-validations'] = v.rootValidations;
  return {
    name: v.name,
    served: v.served,
    storage: v.storage,
    ...(v.deprecated ? { deprecated: true } : {}),
    ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
    schema: { openAPIV3Schema: root },
    subresources: { status: {} },
    additionalPrinterColumns: v.printerColumns,
  };
}
