// What a caller of the CA or of xDS says about itself in its gRPC metadata, read as istiod reads it.
import type { Metadata } from '@grpc/grpc-js';

/** The gRPC header (lower case on the wire) pilot-agent sends its cluster in, for multi-cluster token review. */
const clusterIdHeader = 'clusterid';

/** The token of the first `authorization: Bearer …` value, if any. */
export function bearerTokenOf(metadata: Metadata): string | undefined {
  for (const v of metadata.get('authorization')) {
    const value = v.toString();
    if (value.startsWith('Bearer ')) return value.slice('Bearer '.length);
  }
  return undefined;
}

/** The cluster header's value; istiod reads it only when there is exactly one. */
export function clusterIdOf(metadata: Metadata): string | undefined {
  const values = metadata.get(clusterIdHeader);
  return values.length === 1 ? values[0]!.toString() : undefined;
}
