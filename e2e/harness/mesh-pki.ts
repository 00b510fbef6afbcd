// Workload certificates for tests that run real HBONE: a mesh root (EC P-256) and leaves with SPIFFE URI SANs, made
// with openssl, until Ambit's own CA issues them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { signCsr } from '../cluster/pki.ts';

export interface MeshIdentity {
  cert: string;
  key: string;
}

export interface MeshPki {
  root: string;
  issue: (name: string, spiffeId: string) => Promise<MeshIdentity>;
}

export async function createMeshPki(dir: string): Promise<MeshPki> {
  await mkdir(dir, { recursive: true });
  const ssl = (...args: string[]) => execa('openssl', args, { cwd: dir });
  await ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.key');
  await ssl('req', '-x509', '-new', '-key', 'root.key', '-out', 'root.crt', '-days', '30', '-subj', '/O=cluster.local');
  const root = await readFile(`${dir}/root.crt`, 'utf8');
  return {
    root,
    issue: async (name, spiffeId) => {
      await ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
      await ssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', '/O=cluster.local');
      await writeFile(
        `${dir}/${name}.ext`,
        `subjectAltName=URI:${spiffeId}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyAgreement\n`,
      );
      await signCsr(ssl, name, { cert: 'root.crt', key: 'root.key' }, `${name}.ext`, 1);
      return { cert: await readFile(`${dir}/${name}.crt`, 'utf8'), key: await readFile(`${dir}/${name}.key`, 'utf8') };
    },
  };
}
