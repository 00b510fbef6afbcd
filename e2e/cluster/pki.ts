// The test cluster's PKI: one CA, the API server's serving certificate, an admin client certificate
// (system:masters), the service-account signing key pair and a static admin bearer token. Made with openssl.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { execa } from 'execa';

export interface Pki {
  dir: string;
  caCert: string;
  adminCert: string;
  adminKey: string;
  adminToken: string;
}

const apiserverSans = [
  'IP:127.0.0.1',
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
];

export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const ssl = (...args: string[]) => execa('openssl', args, { cwd: dir });
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=ambit-test-ca',
  );
  await writeFile(
    `${dir}/apiserver.ext`,
    `subjectAltName=${apiserverSans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
  );
  await writeFile(`${dir}/client.ext`, 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  await Promise.all([
    issue(ssl, 'apiserver', '/CN=kube-apiserver', 'apiserver.ext'),
    issue(ssl, 'admin', '/O=system:masters/CN=admin', 'client.ext'),
    ssl('genrsa', '-out', 'sa.key', '2048').then(() => ssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub')),
  ]);
  const adminToken = randomBytes(16).toString('hex');
  await writeFile(`${dir}/tokens.csv`, `${adminToken},token-admin,token-admin-uid,"system:masters"\n`, { mode: 0o600 });
  return { dir, caCert: `${dir}/ca.crt`, adminCert: `${dir}/admin.crt`, adminKey: `${dir}/admin.key`, adminToken };
}

async function issue(
  ssl: (...args: string[]) => Promise<unknown>,
  name: string,
  subject: string,
  extFile: string,
): Promise<void> {
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  await signCsr(ssl, name, { cert: 'ca.crt', key: 'ca.key' }, extFile, 3650);
}

/**
 * Signs `<name>.csr` into `<name>.crt` with the given CA and extensions file. Each certificate gets its own serial
 * file, so signings can run at once.
 */
export async function signCsr(
  ssl: (...args: string[]) => Promise<unknown>,
  name: string,
  ca: { cert: string; key: string },
  extFile: string,
  days: number,
): Promise<void> {
  await ssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAserial',
    `${name}.srl`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    String(days),
    '-extfile',
    extFile,
  );
}
