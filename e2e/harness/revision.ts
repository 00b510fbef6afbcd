// An Istio revision of its own for one e2e file: the Istio CR (ambient) in a fresh namespace, Ready, and
// `ambit control-plane` for it as a local process; `remove` undoes it all and waits until the revision is gone, so
// later files see an idle operator.
import { dump } from 'js-yaml';
import { resources } from '../../src/kube/resources.ts';
import { kubectl, testCluster } from './cluster.ts';
import { startControlPlane, type ControlPlaneProcess } from './control-plane.ts';
import { watchObject } from './wait.ts';

export interface TestRevision {
  revision: string;
  namespace: string;
  controlPlane: ControlPlaneProcess;
  remove: (...alsoNamespaces: string[]) => Promise<void>;
}

export async function startRevision(revision: string, namespace: string, program?: string): Promise<TestRevision> {
  await kubectl(['create', 'namespace', namespace]);
  await kubectl(['apply', '-f', '-'], {
    input: dump({
      apiVersion: 'sailoperator.io/v1',
      kind: 'Istio',
      metadata: { name: revision },
      spec: { namespace, profile: 'ambient' },
    }),
  });
  await kubectl(['wait', '--for=condition=Ready', `istio/${revision}`, '--timeout=60s']);
  const controlPlane = await startControlPlane(await testCluster(), namespace, revision, program);
  return {
    revision,
    namespace,
    controlPlane,
    remove: async (...alsoNamespaces) => {
      await controlPlane.stop();
      await kubectl(['delete', `istio/${revision}`, '--timeout=60s']);
      await watchObject(resources.istioRevision, revision, undefined, (o) => o === undefined, 60_000);
      await kubectl(['delete', 'namespace', namespace, ...alsoNamespaces, '--wait=false']);
    },
  };
}
