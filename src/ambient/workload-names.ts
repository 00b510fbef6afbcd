// The names Istio gives a workload in ztunnel's view and in telemetry: its workload name, and its canonical service
// name and revision. Pure.
import type { KubeObject } from '../kube/objects.ts';

const workloadNameLabel = 'service.istio.io/workload-name';

/**
 * The workload's name as Istio derives it: the label `service.istio.io/workload-name`, else, for a pod a controller
 * generated, the controller's name (a Deployment's or Argo Rollout's from its ReplicaSet, a DeploymentConfig's from
 * its ReplicationController, a CronJob's from its Job), else the pod's own name.
 */
export function podWorkloadName(pod: KubeObject): string {
  const labels = pod.metadata.labels ?? {};
  const override = labels[workloadNameLabel];
  if (override !== undefined) return override;
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (!pod.metadata.generateName || !owner) return pod.metadata.name;
  const trim = (hash: string | undefined) =>
    !hash || !owner.name.endsWith(hash)
      ? undefined
      : owner.name.endsWith(`-${hash}`)
        ? owner.name.slice(0, -hash.length - 1)
        : owner.name;
  if (owner.kind === 'ReplicaSet')
    return trim(labels['pod-template-hash']) ?? trim(labels['rollouts-pod-template-hash']) ?? owner.name;
  if (owner.kind === 'ReplicationController' && labels['deploymentconfig']) return labels['deploymentconfig'];
  if (owner.kind === 'Job') return /^(.+)-\d{8,10}$/.exec(owner.name)?.[1] ?? owner.name;
  return owner.name || pod.metadata.name;
}

/** A WorkloadEntry's (with its merged labels): its auto-registration group, else the workload-name label, else its name. */
export function workloadEntryName(
  name: string,
  annotations: Record<string, string>,
  labels: Record<string, string>,
): string {
  return annotations['istio.io/autoRegistrationGroup'] ?? labels[workloadNameLabel] ?? name;
}

/** istiod's canonical service name and revision: the first of the usual labels, else the workload name / latest. */
export function canonicalLabels(labels: Record<string, string>, workloadName: string): [string, string] {
  const first = (keys: string[]) => keys.map((k) => labels[k]).find((v) => v !== undefined);
  return [
    first(['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app']) ?? workloadName,
    first(['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version']) ?? 'latest',
  ];
}
