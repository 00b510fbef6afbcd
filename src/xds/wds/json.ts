// Resources are built in protobuf JSON form with proto3 defaults left out (empty strings and lists, 0, false, the
// first enum value): that is what a decoder reports back, so encode → decode is the identity and golden files show
// only what is set.

/** A message in protobuf JSON form. */
export type Json = Record<string, unknown>;

/** The fields that are not proto3 defaults (enum defaults are left out by passing undefined). */
export function compact(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => !isDefault(v)));
}

function isDefault(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0);
}
