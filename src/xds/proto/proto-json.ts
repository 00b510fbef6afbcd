// The proto3 JSON mapping that Envoy's configuration is written in, over protobufjs (which maps only Any):
// `fromJson` walks an object against its message type, turning Duration strings ("1.5s"), plain values for the
// wrapper types (UInt32Value, BoolValue, …), plain JSON for Struct/Value/ListValue and `@type`-tagged Any payloads
// into protobufjs form, and collects every field the message does not declare; `toJson` maps decoded messages back.
import protobuf from 'protobufjs';

type Obj = Record<string, unknown>;

const wrapperTypes = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (n) => `.google.protobuf.${n}Value`,
  ),
);

// Hot paths (a full push converts megabytes): names, Any types and resolved fields are looked up once.
const camelNames = new Map<string, string>();
const camel = (k: string) => {
  let c = camelNames.get(k);
  if (c === undefined) {
    c = k.replace(/_([a-z0-9])/g, (_m, x: string) => x.toUpperCase());
    camelNames.set(k, c);
  }
  return c;
};

const anyTypes = new Map<string, protobuf.Type>();
/** `from.root` walks up the namespace tree on every read, so it is asked only on a miss. */
function anyType(from: protobuf.Type, typeUrl: string): protobuf.Type {
  let t = anyTypes.get(typeUrl);
  if (!t) {
    t = from.root.lookupType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
    anyTypes.set(typeUrl, t);
  }
  return t;
}

function resolvedType(field: protobuf.Field): protobuf.Type | protobuf.Enum | null {
  if (!field.resolved) field.resolve();
  return field.resolvedType;
}

function parseDuration(text: string): { seconds: number; nanos: number } {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration; write seconds with an "s", e.g. "1.5s"`);
  const sign = m[1] ? -1 : 1;
  return { seconds: sign * Number(m[2]), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
}

function formatDuration(seconds: number, nanos: number): string {
  if (nanos === 0) return `${String(seconds)}s`;
  const frac = String(Math.abs(nanos)).padStart(9, '0').replace(/0+$/, '');
  return `${seconds < 0 || nanos < 0 ? '-' : ''}${String(Math.abs(seconds))}.${frac}s`;
}

function toValue(v: unknown): Obj {
  if (v === null || v === undefined) return { nullValue: 0 };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(toValue) } };
  return { structValue: toStruct(v as Obj) };
}

const toStruct = (o: Obj): Obj => ({ fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toValue(v)])) });

function fromValue(v: Obj): unknown {
  if ('stringValue' in v) return v['stringValue'];
  if ('numberValue' in v) return v['numberValue'];
  if ('boolValue' in v) return v['boolValue'];
  if ('listValue' in v) return ((v['listValue'] as { values?: Obj[] }).values ?? []).map(fromValue);
  if ('structValue' in v) return fromStruct(v['structValue'] as Obj);
  return null;
}

const fromStruct = (s: Obj): Obj =>
  Object.fromEntries(Object.entries((s['fields'] ?? {}) as Record<string, Obj>).map(([k, v]) => [k, fromValue(v)]));

type Kind = 'duration' | 'wrapper' | 'struct' | 'value' | 'list' | 'any' | 'message';
const kinds = new WeakMap<protobuf.Type, { kind: Kind; name: string }>();

/** What JSON mapping a message type has; `fullName` is rebuilt on every read, so it is read once per type. */
function kindOf(type: protobuf.Type): { kind: Kind; name: string } {
  let k = kinds.get(type);
  if (!k) {
    const name = type.fullName;
    const special: Record<string, Kind> = {
      '.google.protobuf.Duration': 'duration',
      '.google.protobuf.Struct': 'struct',
      '.google.protobuf.Value': 'value',
      '.google.protobuf.ListValue': 'list',
      '.google.protobuf.Any': 'any',
    };
    k = { kind: special[name] ?? (wrapperTypes.has(name) ? 'wrapper' : 'message'), name };
    kinds.set(type, k);
  }
  return k;
}

/** One value of a field of message type `type`, JSON form → protobufjs object form. */
function messageFromJson(type: protobuf.Type, value: unknown, path: string, unknown: string[]): unknown {
  const { kind } = kindOf(type);
  if (kind === 'message') return fromJson(type, value as Obj, unknown, path);
  if (kind === 'duration' && typeof value === 'string') return parseDuration(value);
  if (kind === 'wrapper' && (value === null || typeof value !== 'object')) return { value };
  if (kind === 'struct') return toStruct(value as Obj);
  if (kind === 'value') return toValue(value);
  if (kind === 'list') return { values: (value as unknown[]).map(toValue) };
  if (kind === 'any' && value && typeof value === 'object' && '@type' in value) {
    const { '@type': typeUrl, ...rest } = value as Obj & { '@type': string };
    const inner = anyType(type, typeUrl);
    const converted = fromJson(inner, rest, unknown, `${path}<${inner.name}>`);
    return { type_url: typeUrl, value: inner.encode(inner.fromObject(converted)).finish() };
  }
  return fromJson(type, value as Obj, unknown, path);
}

/** A message in JSON form → protobufjs object form; names of undeclared fields are pushed onto `unknown`. */
export function fromJson(type: protobuf.Type, obj: Obj, unknown: string[] = [], path = ''): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const field = type.fields[camel(key)] ?? type.fields[key];
    const here = path ? `${path}.${key}` : key;
    if (!field) {
      unknown.push(here);
      continue;
    }
    const resolved = resolvedType(field);
    if (!(resolved instanceof protobuf.Type)) {
      out[field.name] = value;
    } else if (field.map) {
      out[field.name] = Object.fromEntries(
        Object.entries(value as Obj).map(([k, v]) => [k, messageFromJson(resolved, v, `${here}[${k}]`, unknown)]),
      );
    } else if (field.repeated) {
      out[field.name] = (value as unknown[]).map((v, i) =>
        messageFromJson(resolved, v, `${here}[${String(i)}]`, unknown),
      );
    } else {
      out[field.name] = messageFromJson(resolved, value, here, unknown);
    }
  }
  return out;
}

function messageToJson(type: protobuf.Type, value: unknown): unknown {
  const { kind, name } = kindOf(type);
  const v = value as Obj;
  if (kind === 'message') return toJson(type, v);
  if (kind === 'duration') return formatDuration(Number(v['seconds'] ?? 0), Number(v['nanos'] ?? 0));
  if (wrapperTypes.has(name))
    return v['value'] ?? (name.endsWith('BoolValue') ? false : name.endsWith('StringValue') ? '' : 0);
  if (kind === 'struct') return fromStruct(v);
  if (kind === 'value') return fromValue(v);
  if (kind === 'list') return ((v['values'] ?? []) as Obj[]).map(fromValue);
  if (kind === 'any' && typeof v['@type'] === 'string') {
    const typeUrl = v['@type'];
    const inner = anyType(type, typeUrl);
    const { '@type': _t, ...rest } = v;
    return { '@type': typeUrl, ...toJson(inner, rest) };
  }
  return toJson(type, v);
}

/** protobufjs `toObject({json: true})` output → the proto3 JSON mapping for the well-known types. */
export function toJson(type: protobuf.Type, obj: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(obj)) {
    const field = type.fields[key];
    if (!field) {
      out[key] = value;
      continue;
    }
    const resolved = resolvedType(field);
    if (!(resolved instanceof protobuf.Type)) out[key] = value;
    else if (field.map)
      out[key] = Object.fromEntries(Object.entries(value as Obj).map(([k, x]) => [k, messageToJson(resolved, x)]));
    else if (field.repeated) out[key] = (value as unknown[]).map((x) => messageToJson(resolved, x));
    else out[key] = messageToJson(resolved, value);
  }
  return out;
}
