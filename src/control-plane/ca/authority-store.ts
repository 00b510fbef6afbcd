// Where the control plane's CA comes from, in istiod's order: a user's plugged `cacerts` Secret in its namespace,
// else the self-signed root it made earlier (`istio-ca-secret`), else a new self-signed root written to that Secret
// first, so every restart and every replica signs with the same root.
import type { Logger } from 'winston';
import { isConflict } from '../../kube/api-client.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { resources } from '../../kube/resources.ts';
import { createSelfSignedAuthority, type CertificateAuthority } from '../../ca/authority.ts';
import {
  authorityFromIstioCaSecret,
  authorityFromPluggedSecret,
  istioCaSecretData,
  istioCaSecretName,
  istioCaSecretType,
  pluggedCaSecretName,
} from '../../ca/ca-secrets.ts';

export type AuthoritySource = 'cacerts' | 'istio-ca-secret' | 'created';

const selfSignedRootDays = 3650;
const fieldManager = 'ambit-control-plane';

const dataOf = (s: KubeObject | undefined) => (s?.['data'] ?? {}) as Record<string, string>;

export async function loadAuthority(
  client: KubeClient,
  namespace: string,
  trustDomain: string,
  log: Logger,
): Promise<{ authority: CertificateAuthority; source: AuthoritySource }> {
  const plugged = await client.get(resources.secret, pluggedCaSecretName, namespace);
  const fromPlugged = plugged && authorityFromPluggedSecret(dataOf(plugged), `${namespace}/${pluggedCaSecretName}`);
  if (fromPlugged) return { authority: fromPlugged, source: 'cacerts' };
  const stored = await client.get(resources.secret, istioCaSecretName, namespace);
  if (stored)
    return {
      authority: authorityFromIstioCaSecret(dataOf(stored), `${namespace}/${istioCaSecretName}`),
      source: 'istio-ca-secret',
    };
  const authority = await createSelfSignedAuthority({ trustDomain, ttlDays: selfSignedRootDays });
  try {
    await client.create(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: istioCaSecretName, namespace },
        type: istioCaSecretType,
        data: istioCaSecretData(authority),
      },
      fieldManager,
    );
  } catch (err) {
    // Another replica made it first: sign with its root.
    if (!isConflict(err)) throw err;
    const theirs = await client.get(resources.secret, istioCaSecretName, namespace);
    return { authority: authorityFromIstioCaSecret(dataOf(theirs), istioCaSecretName), source: 'istio-ca-secret' };
  }
  log.info('created a self-signed root CA', { controller: 'ca', key: `${namespace}/${istioCaSecretName}` });
  return { authority, source: 'created' };
}
