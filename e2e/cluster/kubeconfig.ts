// An admin kubeconfig for the test cluster, with the CA and client certificate embedded so the file stands alone.
import { readFile } from 'node:fs/promises';
import { dump } from 'js-yaml';
import type { Pki } from './pki.ts';

export async function renderKubeconfig(pki: Pki, apiserverPort: number): Promise<string> {
  const b64 = async (path: string) => (await readFile(path)).toString('base64');
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'ambit-test',
        cluster: { server: `https://127.0.0.1:${apiserverPort}`, 'certificate-authority-data': await b64(pki.caCert) },
      },
    ],
    users: [
      {
        name: 'admin',
        user: { 'client-certificate-data': await b64(pki.adminCert), 'client-key-data': await b64(pki.adminKey) },
      },
    ],
    contexts: [{ name: 'ambit-test', context: { cluster: 'ambit-test', user: 'admin' } }],
    'current-context': 'ambit-test',
  });
}
