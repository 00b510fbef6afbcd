// zod schema → CRD structural OpenAPI v3 schema. zod's own JSON Schema export is not structural (it puts
// `additionalProperties: false` beside `properties`, emits `anyOf` for unions and `$schema`), so this walks the zod
// definitions itself and supports exactly the shapes a structural schema can express; anything else is an error.
//
// Conventions: `z.object` is a closed (pruned) object, `z.looseObject` keeps unknown fields
// (`x-kubernetes-preserve-unknown-fields`), `z.unknown()` is a free-form subtree, `z.union([number, string])` is
// int-or-string. Keys given with `.meta({...})` (description, x-kubernetes-validations, x-kubernetes-list-type, …)
// are copied onto the node.
import { z } from 'zod';

export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  nullable?: boolean;
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: {
    rule: string;
    message?: string;
    messageExpression?: string;
    reason?: string;
    fieldPath?: string;
  }[];
}

/** Schema metadata that the generator copies verbatim; anything else in `.meta()` is refused. */
const metaKeys = new Set([
  'description',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'format',
  'maxProperties',
  'atMostOneOf',
]);

type AnySchema = z.core.$ZodType;

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  length?: number;
}

export class StructuralSchemaError extends Error {}

export function toStructural(schema: AnySchema, path = '<root>'): JSONSchemaProps {
  const node = convert(schema, path);
  return withMeta(node, schema, path);
}

function def(schema: AnySchema) {
  return schema._zod.def as unknown as Record<string, unknown> & { type: string };
}

function withMeta(node: JSONSchemaProps, schema: AnySchema, path: string): JSONSchemaProps {
  const meta = z.globalRegistry.get(schema);
  if (!meta) return node;
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'id' || key === 'title' || key === 'examples') continue;
    if (!metaKeys.has(key)) throw new StructuralSchemaError(`${path}: .meta() key "${key}" has no CRD meaning`);
    if (key === 'atMostOneOf') node.oneOf = atMostOneOf(value as string[]);
    else (node as Record<string, unknown>)[key] = value;
  }
  return node;
}

/**
 * "At most one of these fields" as a value validation with no CEL cost: either none is set, or exactly one. This is
 * how Istio's own CRDs express protobuf one-ofs.
 */
function atMostOneOf(fields: string[]): JSONSchemaProps[] {
  const each = fields.map((f) => ({ required: [f] }));
  return [{ not: { anyOf: each } }, ...each];
}

function convert(schema: AnySchema, path: string): JSONSchemaProps {
  const d = def(schema);
  switch (d.type) {
    case 'string':
      return applyChecks({ type: 'string' }, d, path);
    case 'number': {
      const integer = isInteger(d);
      const node = applyChecks({ type: integer ? 'integer' : 'number' }, d, path);
      if (integer && d['format'] !== undefined && d['format'] !== 'safeint') node.format = d['format'] as string;
      return node;
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'enum': {
      const values = Object.values(d['entries'] as Record<string, string | number>);
      return { type: typeof values[0] === 'number' ? 'integer' : 'string', enum: values };
    }
    case 'literal': {
      const values = d['values'] as unknown[];
      return { type: typeof values[0] === 'number' ? 'integer' : 'string', enum: values };
    }
    case 'array':
      return applyChecks({ type: 'array', items: toStructural(d['element'] as AnySchema, `${path}[]`) }, d, path);
    case 'record': {
      const key = def(d['keyType'] as AnySchema);
      if (key.type !== 'string') throw new StructuralSchemaError(`${path}: record keys must be strings`);
      return { type: 'object', additionalProperties: toStructural(d['valueType'] as AnySchema, `${path}.*`) };
    }
    case 'object':
      return objectSchema(d, path);
    case 'unknown':
    case 'any':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case 'union':
      return unionSchema(d['options'] as AnySchema[], path);
    case 'optional':
      return toStructural(d['innerType'] as AnySchema, path);
    case 'nullable':
      return { ...toStructural(d['innerType'] as AnySchema, path), nullable: true };
    case 'default':
      return { ...toStructural(d['innerType'] as AnySchema, path), default: z.parse(schema, undefined) };
    case 'prefault':
      // A prefault is parsed, so nested defaults are filled in: the CRD gets the same complete default value.
      return { ...toStructural(d['innerType'] as AnySchema, path), default: z.parse(schema, undefined) };
    case 'lazy':
      return toStructural((d['getter'] as () => AnySchema)(), path);
    case 'pipe':
      return toStructural(d['in'] as AnySchema, path);
    default:
      throw new StructuralSchemaError(`${path}: zod type "${d.type}" cannot be expressed in a structural schema`);
  }
}

function isInteger(d: Record<string, unknown>): boolean {
  // z.int() is itself a number_format check; z.number().int() carries one in its checks.
  const checks = [
    d as unknown as CheckDef,
    ...((d['checks'] as { _zod: { def: CheckDef } }[] | undefined) ?? []).map((c) => c._zod.def),
  ];
  return checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
}

function applyChecks(node: JSONSchemaProps, d: Record<string, unknown>, path: string): JSONSchemaProps {
  const checks = (d['checks'] as { _zod: { def: CheckDef } }[] | undefined) ?? [];
  const isArray = node.type === 'array';
  for (const { _zod } of checks) {
    const c = _zod.def;
    switch (c.check) {
      case 'min_length':
        if (isArray) node.minItems = c.minimum!;
        else node.minLength = c.minimum!;
        break;
      case 'max_length':
        if (isArray) node.maxItems = c.maximum!;
        else node.maxLength = c.maximum!;
        break;
      case 'length_equals':
        if (isArray) node.minItems = node.maxItems = c.length!;
        else node.minLength = node.maxLength = c.length!;
        break;
      case 'string_format':
        if (c.format === 'regex') node.pattern = c.pattern!.source;
        else node.format = c.format!;
        break;
      case 'greater_than':
        node.minimum = c.value!;
        if (!c.inclusive) node.exclusiveMinimum = true;
        break;
      case 'less_than':
        node.maximum = c.value!;
        if (!c.inclusive) node.exclusiveMaximum = true;
        break;
      case 'number_format':
        // int32/int64 formats say something to clients; zod's "safeint" bound is an artefact of JavaScript numbers.
        if (c.format === 'int32' || c.format === 'int64') node.format = c.format;
        break;
      default:
        throw new StructuralSchemaError(`${path}: zod check "${c.check}" has no structural equivalent`);
    }
  }
  return node;
}

function objectSchema(d: Record<string, unknown>, path: string): JSONSchemaProps {
  const shape = d['shape'] as Record<string, AnySchema>;
  const properties: Record<string, JSONSchemaProps> = {};
  const required: string[] = [];
  for (const [key, value] of Object.entries(shape)) {
    properties[key] = toStructural(value, `${path}.${key}`);
    // Required exactly when zod itself would refuse the field's absence (optional, defaulted and free-form are not).
    if (!z.safeParse(value, undefined).success) required.push(key);
  }
  const node: JSONSchemaProps = { type: 'object' };
  if (Object.keys(properties).length > 0) node.properties = properties;
  if (required.length > 0) node.required = required;
  const catchall = d['catchall'] as AnySchema | undefined;
  if (catchall) {
    const t = def(catchall).type;
    if (t !== 'unknown' && t !== 'any')
      throw new StructuralSchemaError(`${path}: only looseObject catch-alls are supported`);
    node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return node;
}

function unionSchema(options: AnySchema[], path: string): JSONSchemaProps {
  const types = options.map((o) => def(o).type).sort();
  if (types.join() === 'number,string') {
    return { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  // A union of string enums and literals is one enum.
  const enums = options.map((o) => convert(o, path));
  if (enums.every((e) => e.type === 'string' && e.enum))
    return { type: 'string', enum: enums.flatMap((e) => e.enum ?? []) };
  throw new StructuralSchemaError(`${path}: unions other than int-or-string or string enums are not structural`);
}
