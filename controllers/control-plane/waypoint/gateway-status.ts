// A waypoint Gateway's status as istiod writes it: Accepted, Programmed (with its address reasons), ResolvedRefs,
// one entry per listener (only one HBONE listener on 15008 is supported), and addresses (the Service's IP and
// hostname) reported once a waypoint pod is Ready and never removed after. Pure.
import type { Condition } from '../../../src/api/kube-types.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { gatewaySpec } from '../../../src/render/waypoint/input.ts';
import type { ConditionInput } from '../../../src/kube/conditions.ts';

export interface Listener {
  name: string;
  port: number;
  protocol: string;
}

export interface GatewayFacts {
  generation: number;
  listeners: Listener[];
  /** `<name>.<ns>.svc.<domain>` of the waypoint Service. */
  serviceHost: string;
  /** The Service's cluster IPs, once it exists. */
  serviceIps: string[] | undefined;
  /** Whether at least one waypoint pod is Ready. */
  podReady: boolean;
  /** The addresses already reported (kept: never removed once set). */
  previousAddresses: { type: string; value: string }[] | undefined;
  /** A render or apply failure to report instead of Programmed. */
  error?: string;
  /** Why spec.infrastructure.parametersRef is unusable (istiod then reports Accepted=False InvalidParameters). */
  invalidParameters?: string;
}

/**
 * istiod's Accepted check of spec.infrastructure.parametersRef: it must name a core ConfigMap that exists in the
 * Gateway's namespace. Returns istiod's message when it does not.
 */
export function parametersProblem(
  gw: KubeObject,
  configMapExists: (namespace: string, name: string) => boolean,
): string | undefined {
  const ref = gatewaySpec(gw).infrastructure?.parametersRef;
  if (!ref) return undefined;
  const namespace = gw.metadata.namespace ?? '';
  if ((ref.group ?? '') !== '' || ref.kind !== 'ConfigMap')
    return `Unsupported parametersRef group/kind ${ref.group ?? ''}/${ref.kind ?? ''}, only ConfigMap is supported`;
  if (!configMapExists(namespace, ref.name ?? ''))
    return `parametersRef ConfigMap ${namespace}/${ref.name ?? ''} does not exist`;
  return undefined;
}

export interface ListenerStatus {
  name: string;
  attachedRoutes: number;
  supportedKinds: { group: string; kind: string }[];
  conditions: ConditionInput[];
}

export interface GatewayStatusView {
  conditions: ConditionInput[];
  listeners: ListenerStatus[];
  addresses?: { type: string; value: string }[];
}

const hboneOnly = 'Expected a single listener on port 15008 with protocol "HBONE"';

function listenerStatus(l: Listener, single: boolean): ListenerStatus {
  const ok = single && l.port === 15008 && l.protocol === 'HBONE';
  const fine = (type: string, reason: string): ConditionInput => ({
    type,
    status: 'True',
    reason,
    message: 'No errors found',
  });
  return {
    name: l.name,
    attachedRoutes: 0,
    supportedKinds:
      l.protocol === 'HBONE'
        ? []
        : [
            { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
            { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' },
          ],
    conditions: [
      ok
        ? fine('Accepted', 'Accepted')
        : { type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol', message: hboneOnly },
      { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'No errors found' },
      fine('Programmed', 'Programmed'),
      fine('ResolvedRefs', 'ResolvedRefs'),
    ],
  };
}

export function gatewayStatus(f: GatewayFacts): GatewayStatusView {
  const listeners = f.listeners.map((l) => listenerStatus(l, f.listeners.length === 1));
  const addresses =
    f.podReady && f.serviceIps && f.serviceIps.length > 0
      ? [...f.serviceIps.map((value) => ({ type: 'IPAddress', value })), { type: 'Hostname', value: f.serviceHost }]
      : f.previousAddresses;
  let programmed: ConditionInput;
  if (f.error !== undefined) {
    programmed = { type: 'Programmed', status: 'False', reason: 'Invalid', message: f.error };
  } else if (!f.serviceIps) {
    programmed = {
      type: 'Programmed',
      status: 'False',
      reason: 'AddressNotUsable',
      message: `Failed to assign to any requested addresses: hostname "${f.serviceHost}" not found`,
    };
  } else if (!f.podReady) {
    programmed = {
      type: 'Programmed',
      status: 'False',
      reason: 'AddressNotAssigned',
      message: `Failed to assign to any requested addresses: no instances found for hostname "${f.serviceHost}"`,
    };
  } else {
    const ports = f.listeners.map((l) => l.port);
    const assigned = ports.map((p) => `${f.serviceHost}:${p}`);
    programmed = {
      type: 'Programmed',
      status: 'True',
      reason: 'Programmed',
      message: `Resource programmed, assigned to service(s) ${joinList(assigned)}`,
    };
  }
  return {
    conditions: [
      f.invalidParameters === undefined
        ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Resource accepted' }
        : { type: 'Accepted', status: 'False', reason: 'InvalidParameters', message: f.invalidParameters },
      programmed,
      { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved' },
    ],
    listeners,
    ...(addresses ? { addresses } : {}),
  };
}

/** "a", "a and b", "a, b, and c", as istiod joins them. */
export function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1)}`;
}

/**
 * The suffix a refused apply's message ends with: which rendered configuration the API server refused, so that a
 * restarted control plane finds it in the Gateway's status and does not send the same refused writes again.
 */
export const refusedSuffix = (fingerprint: string) => ` (refused configuration ${fingerprint})`;

/** The Programmed message of this generation when it reports `fingerprint` refused; undefined otherwise. */
export function refusedBefore(
  conditions: Condition[] | undefined,
  generation: number,
  fingerprint: string,
): string | undefined {
  const programmed = conditions?.find((c) => c.type === 'Programmed');
  if (programmed?.status !== 'False' || programmed.reason !== 'Invalid') return undefined;
  if ((programmed.observedGeneration ?? 0) !== generation) return undefined;
  const message = programmed.message ?? '';
  return message.endsWith(refusedSuffix(fingerprint)) ? message : undefined;
}
