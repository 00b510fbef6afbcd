// Istio's IstioCertificateService as a grpc-js service definition, from our ca.proto: in proto/ beside this module
// when running from the sources, and beside the bundle (copied there by scripts/bundle.ts) when bundled.
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The request as proto-loader decodes it (camelCase; int64 as a number). */
export interface IstioCertificateRequest {
  csr?: string;
  validityDuration?: number;
  /** google.protobuf.Struct: only string values matter to us. */
  metadata?: { fields?: Record<string, { stringValue?: string } | undefined> } | null;
}

export interface IstioCertificateResponse {
  certChain: string[];
}

export const certificateServiceName = 'istio.v1.auth.IstioCertificateService';

let definition: ServiceDefinition | undefined;

/** Loaded on first use, so that importing this module reads no file. */
export function certificateServiceDefinition(): ServiceDefinition {
  if (definition) return definition;
  const pkg = loadSync('ca.proto', {
    includeDirs: [fileURLToPath(new URL('./proto', import.meta.url))],
    keepCase: false,
    longs: Number,
    defaults: false,
  });
  definition = pkg[certificateServiceName] as ServiceDefinition;
  return definition;
}
