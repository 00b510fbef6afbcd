// The proto3 JSON form that src/xds/proto/protos.ts encodes: camelCase fields, Any as `@type` plus the message's fields,
// Duration as "1.5s", wrapper types (UInt32Value, BoolValue) and Struct as plain values.

/** A resource or message in proto3 JSON form. */
export type Json = Record<string, unknown>;

/** An Any (typed_config) holding `type` (a full message name) with the given fields. */
export const any = (type: string, fields: Json = {}): Json => ({ '@type': `type.googleapis.com/${type}`, ...fields });

/** A google.protobuf.Duration from milliseconds. */
export const duration = (ms: number): string => `${ms / 1000}s`;
