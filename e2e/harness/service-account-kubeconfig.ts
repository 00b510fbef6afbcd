// A kubeconfig that acts as a ServiceAccount (a TokenRequest token, as a pod's projected token), for running a
// program locally with exactly the RBAC a chart gives its pod.
import { readFile, writeFile } from 'node:fs/promises';
import { dump } from 'js-yaml';
import type { ClusterState } from '../cluster/state.ts';
import { kubectl } from './cluster.ts';

export async function serviceAccountKubeconfig(
  cluster: ClusterState,
  namespace: string,
  serviceAccount: string,
  file: string,
): Promise<string> {
  const { stdout } = await kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=1h']);
  const ca = (await readFile(cluster.caCert)).toString('base64');
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  await writeFile(
    file,
    dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'ambit-test', cluster: { server: cluster.apiserverUrl, 'certificate-authority-data': ca } }],
      users: [{ name: user, user: { token: String(stdout).trim() } }],
      contexts: [{ name: 'ambit-test', context: { cluster: 'ambit-test', user, namespace } }],
      'current-context': 'ambit-test',
    }),
    { mode: 0o600 },
  );
  return file;
}
