// The ADS messages on the wire: protobufjs codecs for DiscoveryRequest/Response and their delta forms, with node
// metadata (a google.protobuf.Struct) turned into plain values.
import type protobuf from 'protobufjs';
import { protoRoot } from '../proto/protos.ts';

export interface WireAny {
  typeUrl: string;
  value: Uint8Array;
}

export interface ErrorDetail {
  code: number;
  message: string;
}

export interface WireNode {
  id: string;
  cluster: string;
  metadata: Record<string, unknown>;
  userAgentName: string;
}

export interface DiscoveryRequest {
  versionInfo: string;
  node?: WireNode;
  resourceNames: string[];
  typeUrl: string;
  responseNonce: string;
  errorDetail?: ErrorDetail;
}

export interface DiscoveryResponse {
  versionInfo: string;
  resources: WireAny[];
  typeUrl: string;
  nonce: string;
}

export interface DeltaDiscoveryRequest {
  node?: WireNode;
  typeUrl: string;
  resourceNamesSubscribe: string[];
  resourceNamesUnsubscribe: string[];
  initialResourceVersions: Record<string, string>;
  responseNonce: string;
  errorDetail?: ErrorDetail;
}

export interface DeltaDiscoveryResponse {
  systemVersionInfo: string;
  resources: { name: string; version: string; aliases: string[]; resource: WireAny }[];
  typeUrl: string;
  removedResources: string[];
  nonce: string;
}

const types = () => {
  const root = protoRoot();
  const t = (n: string) => root.lookupType(`envoy.service.discovery.v3.${n}`);
  return {
    request: t('DiscoveryRequest'),
    response: t('DiscoveryResponse'),
    deltaRequest: t('DeltaDiscoveryRequest'),
    deltaResponse: t('DeltaDiscoveryResponse'),
  };
};
let cached: ReturnType<typeof types> | undefined;
const codecs = () => (cached ??= types());

interface StructValue {
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, StructValue> };
  listValue?: { values?: StructValue[] };
}

function plain(v: StructValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.numberValue !== undefined) return v.numberValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.structValue !== undefined) return structToObject(v.structValue);
  if (v.listValue !== undefined) return (v.listValue.values ?? []).map(plain);
  return null;
}

export function structToObject(s: { fields?: Record<string, StructValue> } | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s?.fields ?? {}).map(([k, v]) => [k, plain(v)]));
}

interface DecodedNode {
  id?: string;
  cluster?: string;
  metadata?: { fields?: Record<string, StructValue> };
  userAgentName?: string;
}

const node = (n: DecodedNode | undefined): WireNode | undefined =>
  n && {
    id: n.id ?? '',
    cluster: n.cluster ?? '',
    metadata: structToObject(n.metadata),
    userAgentName: n.userAgentName ?? '',
  };

const error = (e: { code?: number; message?: string } | undefined): ErrorDetail | undefined =>
  e && { code: e.code ?? 0, message: e.message ?? '' };

const decode = (type: protobuf.Type, buf: Buffer) =>
  type.toObject(type.decode(buf), { longs: Number, enums: String, defaults: false }) as Record<string, unknown>;

export function decodeRequest(buf: Buffer): DiscoveryRequest {
  const m = decode(codecs().request, buf);
  return {
    versionInfo: (m['versionInfo'] as string | undefined) ?? '',
    ...(m['node'] ? { node: node(m['node']) } : {}),
    resourceNames: (m['resourceNames'] as string[] | undefined) ?? [],
    typeUrl: (m['typeUrl'] as string | undefined) ?? '',
    responseNonce: (m['responseNonce'] as string | undefined) ?? '',
    ...(m['errorDetail'] ? { errorDetail: error(m['errorDetail']) } : {}),
  };
}

export function decodeDeltaRequest(buf: Buffer): DeltaDiscoveryRequest {
  const m = decode(codecs().deltaRequest, buf);
  return {
    ...(m['node'] ? { node: node(m['node']) } : {}),
    typeUrl: (m['typeUrl'] as string | undefined) ?? '',
    resourceNamesSubscribe: (m['resourceNamesSubscribe'] as string[] | undefined) ?? [],
    resourceNamesUnsubscribe: (m['resourceNamesUnsubscribe'] as string[] | undefined) ?? [],
    initialResourceVersions: (m['initialResourceVersions'] as Record<string, string> | undefined) ?? {},
    responseNonce: (m['responseNonce'] as string | undefined) ?? '',
    ...(m['errorDetail'] ? { errorDetail: error(m['errorDetail']) } : {}),
  };
}

// Any's fields keep their proto names in protobufjs (type_url), unlike messages loaded from .proto files.
const any = (a: WireAny) => ({ type_url: a.typeUrl, value: a.value });
const fromAny = (a: { type_url?: string; value?: Uint8Array }): WireAny => ({
  typeUrl: a.type_url ?? '',
  value: a.value ?? new Uint8Array(),
});

export const encodeResponse = (r: DiscoveryResponse): Buffer => {
  const t = codecs().response;
  return Buffer.from(t.encode(t.create({ ...r, resources: r.resources.map(any) })).finish());
};

export const encodeDeltaResponse = (r: DeltaDiscoveryResponse): Buffer => {
  const t = codecs().deltaResponse;
  const resources = r.resources.map((x) => ({ ...x, resource: any(x.resource) }));
  return Buffer.from(t.encode(t.create({ ...r, resources })).finish());
};

/** For clients in tests: the other direction. */
export const encodeRequest = (r: Partial<DiscoveryRequest> & { node?: { id: string; metadata?: object } }): Buffer =>
  Buffer.from(codecs().request.encode(codecs().request.fromObject(r)).finish());

export const encodeDeltaRequest = (
  r: Partial<DeltaDiscoveryRequest> & { node?: { id: string; metadata?: object } },
): Buffer => Buffer.from(codecs().deltaRequest.encode(codecs().deltaRequest.fromObject(r)).finish());

export function decodeResponse(buf: Buffer): DiscoveryResponse {
  const t = codecs().response;
  const r = t.toObject(t.decode(buf), { longs: Number, defaults: true }) as Omit<DiscoveryResponse, 'resources'> & {
    resources: { type_url?: string; value?: Uint8Array }[];
  };
  return { ...r, resources: r.resources.map(fromAny) };
}

export function decodeDeltaResponse(buf: Buffer): DeltaDiscoveryResponse {
  const t = codecs().deltaResponse;
  const r = t.toObject(t.decode(buf), { longs: Number, defaults: true }) as Omit<
    DeltaDiscoveryResponse,
    'resources'
  > & {
    resources: {
      name: string;
      version: string;
      aliases: string[];
      resource: { type_url?: string; value?: Uint8Array };
    }[];
  };
  return { ...r, resources: r.resources.map((x) => ({ ...x, resource: fromAny(x.resource) })) };
}

/** Plain values → google.protobuf.Struct, for clients that send node metadata. */
export function objectToStruct(o: Record<string, unknown>): { fields: Record<string, StructValue> } {
  const value = (v: unknown): StructValue => {
    if (typeof v === 'string') return { stringValue: v };
    if (typeof v === 'number') return { numberValue: v };
    if (typeof v === 'boolean') return { boolValue: v };
    if (Array.isArray(v)) return { listValue: { values: v.map(value) } };
    if (v && typeof v === 'object') return { structValue: objectToStruct(v as Record<string, unknown>) };
    return { nullValue: 0 };
  };
  return { fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, value(v)])) };
}
