// One HTTPRoute backendRef → a model Backend, or the ResolvedRefs error Gateway API wants reported for it: a core
// Service by name, or (istiod's extension) a ServiceEntry host by `group: networking.istio.io, kind: Hostname`.
// Invalid backends get no traffic; a rule left with no backend answers 500 (the generators' job).
import type { Backend } from '../../xds/model/model.ts';
import type { BackendRef } from './gateway-api.ts';
import { isCoreGroup } from './gateway-api.ts';
import { serviceHostname, type ClusterIndex } from './cluster-index.ts';
import { serviceReferenceAllowed } from './reference-grants.ts';

export type BackendErrorReason = 'BackendNotFound' | 'RefNotPermitted' | 'InvalidKind' | 'InvalidDestination';

export interface BackendError {
  reason: BackendErrorReason;
  message: string;
}

export type ResolvedBackend = { backend: Backend } | { error: BackendError };

export function resolveBackendRef(
  ref: BackendRef,
  route: { kind: string; namespace: string },
  index: ClusterIndex,
): ResolvedBackend {
  const kind = ref.kind ?? 'Service';
  if (ref.group === 'networking.istio.io' && kind === 'Hostname') return hostnameBackend(ref, index);
  if (!isCoreGroup(ref.group) || kind !== 'Service') {
    const message = `referencing unsupported backendRef: group "${ref.group ?? ''}" kind "${kind}"`;
    return { error: { reason: 'InvalidKind', message } };
  }
  if (ref.name.includes('.')) {
    const message = 'service name invalid; the name of the Service must be used, not the hostname.';
    return { error: { reason: 'InvalidDestination', message } };
  }
  const namespace = ref.namespace ?? route.namespace;
  if (namespace !== route.namespace && !serviceReferenceAllowed(index.referenceGrants(namespace), route, ref.name)) {
    const message =
      `backendRef ${namespace}/${ref.name} not accessible to a ${route.kind} in namespace "${route.namespace}"` +
      ' (missing a ReferenceGrant?)';
    return { error: { reason: 'RefNotPermitted', message } };
  }
  if (ref.port === undefined) {
    return { error: { reason: 'InvalidDestination', message: 'port is required in backendRef' } };
  }
  const host = serviceHostname(ref.name, namespace, index.clusterDomain);
  if (!index.service(namespace, ref.name)) {
    return { error: { reason: 'BackendNotFound', message: `backend(${host}) not found` } };
  }
  return { backend: { host, port: ref.port, weight: ref.weight ?? 1 } };
}

function hostnameBackend(ref: BackendRef, index: ClusterIndex): ResolvedBackend {
  if (ref.namespace !== undefined)
    return { error: { reason: 'InvalidDestination', message: 'namespace may not be set with Hostname type' } };
  if (ref.port === undefined) {
    return { error: { reason: 'InvalidDestination', message: 'port is required in backendRef' } };
  }
  if (!index.hostPorts(ref.name)) {
    return { error: { reason: 'BackendNotFound', message: `backend(${ref.name}) not found` } };
  }
  return { backend: { host: ref.name, port: ref.port, weight: ref.weight ?? 1 } };
}
