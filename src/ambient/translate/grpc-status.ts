// gRPC status codes by name (google.rpc.Code), for VirtualService `fault.abort.grpcStatus`, which takes either the
// name ("UNAVAILABLE") or the number as a string.

const codes = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** The numeric code, or undefined for a name or number gRPC does not define. */
export function grpcStatusCode(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < codes.length ? n : undefined;
  }
  const index = codes.indexOf(text.toUpperCase());
  return index === -1 ? undefined : index;
}
