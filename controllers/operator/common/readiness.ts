// Readiness of the workloads we install, by kstatus' rules (stricter than Sail's: a rollout in progress is not
// Ready), with Sail's condition reasons and messages.
import type { KubeObject } from '../../../src/kube/objects.ts';

export interface Readiness {
  ready: boolean;
  message: string;
}

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string; reason?: string }[];
}

export function deploymentReadiness(d: KubeObject | undefined, name: string): Readiness {
  if (!d) return { ready: false, message: `${name} Deployment not found` };
  const spec = (d['spec'] ?? {}) as { replicas?: number };
  const s = (d['status'] ?? {}) as DeploymentStatus;
  const want = spec.replicas ?? 1;
  if (want === 0) return { ready: false, message: `${name} Deployment is scaled to zero replicas` };
  if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0))
    return { ready: false, message: `${name} Deployment rollout has not been observed yet` };
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { ready: false, message: `${name} Deployment exceeded its progress deadline` };
  const updated = s.updatedReplicas ?? 0;
  if (updated < want) return { ready: false, message: `not all ${name} pods are updated (${updated}/${want})` };
  if ((s.replicas ?? 0) > want) return { ready: false, message: `old ${name} pods are still terminating` };
  if ((s.readyReplicas ?? 0) < want || (s.availableReplicas ?? 0) < want)
    return { ready: false, message: `not all ${name} pods are ready` };
  return { ready: true, message: '' };
}

interface DaemonSetStatus {
  observedGeneration?: number;
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
}

export function daemonSetReadiness(ds: KubeObject | undefined, name: string): Readiness {
  if (!ds) return { ready: false, message: `${name} DaemonSet not found` };
  const s = (ds['status'] ?? {}) as DaemonSetStatus;
  if (s.observedGeneration === undefined || s.observedGeneration < (ds.metadata.generation ?? 0)) {
    return { ready: false, message: `${name} DaemonSet rollout has not been observed yet` };
  }
  const desired = s.desiredNumberScheduled ?? 0;
  if ((s.currentNumberScheduled ?? 0) === 0 || desired === 0)
    return { ready: false, message: `no ${name} pods are currently scheduled` };
  if ((s.updatedNumberScheduled ?? 0) < desired) return { ready: false, message: `not all ${name} pods are updated` };
  if ((s.numberReady ?? 0) < desired || (s.numberAvailable ?? 0) < desired)
    return { ready: false, message: `not all ${name} pods are ready` };
  return { ready: true, message: '' };
}
