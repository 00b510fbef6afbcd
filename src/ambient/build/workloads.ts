// Pods, WorkloadEntries and ServiceEntry endpoints as model workloads (ztunnel's view): addresses, identity, tunnel,
// waypoint, the services each is a member of, and the selector policies ztunnel enforces for it.
import type { KubeObject } from '../../kube/objects.ts';
import { selects } from '../../kube/label-selector.ts';
import type { Service, Workload } from '../../xds/model/model.ts';
import { identityBinding, workloadBinding, type Binding } from '../binding.ts';
import { livePodIp, podReady, podUid } from '../pods.ts';
import { tunnelOf } from '../tunnel.ts';
import type { ParsedServiceEntry } from '../serviceentry/service-entry-spec.ts';
import { serviceEntryWorkloads } from '../serviceentry/service-entry-workloads.ts';
import { canonicalLabels, podWorkloadName } from '../workload-names.ts';
import {
  workloadEntryIdentity,
  workloadEntryLabels,
  workloadEntryUid,
  workloadEntryWorkload,
} from '../workload-entries.ts';
import type { MeshInput } from './input.ts';
import { waypointRef } from './waypoint-refs.ts';

/**
 * The selector policies ztunnel enforces for a workload (its namespace's ALLOW/DENY policies without targetRefs whose
 * selector matches); namespace-wide and root-namespace policies reach it through their scope instead.
 */
function policiesFor(namespace: string, labels: Record<string, string>, input: MeshInput): string[] {
  return input.authorizationPolicies
    .filter((p) => p.targetRefs.length === 0 && (p.action === 'ALLOW' || p.action === 'DENY'))
    .filter((p) => p.namespace === namespace && p.selector && Object.keys(p.selector).length > 0)
    .filter((p) => selects({ matchLabels: p.selector }, labels))
    .map((p) => `${p.namespace}/${p.name}`)
    .sort();
}

function toWorkload(
  pod: KubeObject,
  input: MeshInput,
  memberships: Map<string, Workload['services']>,
): Workload | undefined {
  const podIP = livePodIp(pod);
  if (!podIP) return undefined;
  const podIPs = (pod['status'] as { podIPs?: { ip: string }[] } | undefined)?.podIPs;
  const spec = (pod['spec'] ?? {}) as { serviceAccountName?: string; nodeName?: string };
  const ns = pod.metadata.namespace ?? '';
  const labels = pod.metadata.labels ?? {};
  const uid = podUid(input.clusterId, ns, pod.metadata.name);
  const name = podWorkloadName(pod);
  const tunnel = tunnelOf(pod.metadata);
  const memberOf = memberships.get(uid) ?? {};
  const waypoint = waypointRef(workloadBinding(input.view, pod), input.clusterDomain);
  const [canonicalName, canonicalRevision] = canonicalLabels(labels, name);
  return {
    uid,
    name: pod.metadata.name,
    namespace: ns,
    addresses: podIPs?.map((p) => p.ip) ?? [podIP],
    serviceAccount: spec.serviceAccountName ?? 'default',
    node: spec.nodeName ?? '',
    network: input.network,
    tunnelProtocol: tunnel.hbone ? 'HBONE' : 'NONE',
    nativeTunnel: tunnel.native,
    ...(waypoint ? { waypoint } : {}),
    canonicalName,
    canonicalRevision,
    workloadName: name,
    services: memberOf,
    healthy: podReady(pod),
    clusterId: input.clusterId,
    authorizationPolicies: policiesFor(ns, labels, input),
  };
}

/** Every workload, sorted by uid, each with the services whose endpoints it is. */
export function meshWorkloads(input: MeshInput, services: Service[], entries: ParsedServiceEntry[]): Workload[] {
  const memberships = new Map<string, Workload['services']>();
  for (const svc of services) {
    for (const e of svc.endpoints) {
      if (!e.workloadUid) continue;
      const m = memberships.get(e.workloadUid) ?? {};
      m[`${svc.namespace}/${svc.hostname}`] = { ...e.ports };
      memberships.set(e.workloadUid, m);
    }
  }
  const ref = (b: Binding) => waypointRef(b, input.clusterDomain);
  const workloadEntries = input.workloadEntries.map((we) =>
    workloadEntryWorkload(we, {
      clusterId: input.clusterId,
      network: input.network,
      services: memberships.get(workloadEntryUid(input.clusterId, we.metadata.namespace ?? '', we.metadata.name)) ?? {},
      policies: policiesFor(we.metadata.namespace ?? '', workloadEntryLabels(we), input),
      waypoint: ref(identityBinding(input.view, workloadEntryIdentity(we))),
    }),
  );
  const entryContext = {
    ...input,
    waypointRef: ref,
    memberships,
    policies: (ns: string, labels: Record<string, string>) => policiesFor(ns, labels, input),
  };
  return [
    ...input.pods.map((p) => toWorkload(p, input, memberships)),
    ...workloadEntries,
    ...entries.flatMap((e) => serviceEntryWorkloads(e, entryContext)),
  ]
    .filter((w): w is Workload => w !== undefined)
    .sort((a, b) => a.uid.localeCompare(b.uid));
}
