// An Istio revision of its own for one e2e file: the Istio CR (ambient) in a fresh namespace, Ready, and
// `ambit control-plane` for it as a local process; `remove` undoes it all and waits until the revision is gone, so
// later files see an idle operator. Revisions run side by side in one cluster as separate meshes do: each discovers
// only the namespaces labelled for it (its discoverySelectors), so their CAs never publish roots in each other's.
import { dump } from 'js-yaml';
import { resources } from '../../src/kube/resources.ts';
import { kubectl, testCluster } from './cluster.ts';
import { startControlPlane, type ControlPlaneProcess } from './control-plane.ts';
import { watchObject } from './wait.ts';

export interface TestRevision {
  revision: string;
  namespace: string;
  /** The running control plane (a new one after `restartControlPlane`). */
  controlPlane: ControlPlaneProcess;
  /** Stops the control plane (SIGTERM) and starts another on the same ports, as a rolled pod would come back. */
  restartControlPlane: () => Promise<void>;
  /** Creates namespaces this revision discovers. */
  createNamespace: (...names: string[]) => Promise<void>;
  remove: (...alsoNamespaces: string[]) => Promise<void>;
}

export const meshLabel = 'ambit.io/e2e-mesh';

export async function startRevision(revision: string, namespace: string, program?: string): Promise<TestRevision> {
  const createNamespace = async (...names: string[]) => {
    const docs = names.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { [meshLabel]: revision } },
    }));
    await kubectl(['create', '-f', '-'], { input: docs.map((d) => dump(d)).join('---\n') });
  };
  await createNamespace(namespace);
  await kubectl(['apply', '-f', '-'], {
    input: dump({
      apiVersion: 'sailoperator.io/v1',
      kind: 'Istio',
      metadata: { name: revision },
      spec: {
        namespace,
        profile: 'ambient',
        values: { meshConfig: { discoverySelectors: [{ matchLabels: { [meshLabel]: revision } }] } },
      },
    }),
  });
  await kubectl(['wait', '--for=condition=Ready', `istio/${revision}`, '--timeout=60s']);
  const rev: TestRevision = {
    revision,
    namespace,
    controlPlane: await startControlPlane(await testCluster(), namespace, revision, program),
    restartControlPlane: async () => {
      await rev.controlPlane.stop();
      rev.controlPlane = await startControlPlane(await testCluster(), namespace, revision, program, rev.controlPlane);
    },
    createNamespace,
    remove: async (...alsoNamespaces) => {
      await rev.controlPlane.stop();
      await kubectl(['delete', `istio/${revision}`, '--timeout=60s']);
      await watchObject(resources.istioRevision, revision, undefined, (o) => o === undefined, 60_000);
      await kubectl(['delete', 'namespace', namespace, ...alsoNamespaces, '--wait=false']);
    },
  };
  return rev;
}
