// A workload's side of Istio's CA protocol for tests: a fresh key and CSR, `CreateCertificate` with a bearer token
// over TLS (trusting the mesh root, checking the control plane's name) or plaintext, as pilot-agent and ztunnel call
// it. Also mints service-account tokens with the API server's TokenRequest.
import { webcrypto } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type ChannelCredentials,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { x509 } from '../../src/ca/x509.ts';
import { kubectl, kubectlJson } from './cluster.ts';
import type { MeshIdentity } from '../xds/hbone-client.ts';

const protoFile = fileURLToPath(new URL('../../src/ca/proto/ca.proto', import.meta.url));

type CreateCertificate = (
  req: { csr: string; validity_duration: number; metadata?: unknown },
  md: Metadata,
  cb: (err: ServiceError | null, res?: { cert_chain: string[] }) => void,
) => void;

function caClient(
  address: string,
  tls?: { root: string; san: string },
): Client & { CreateCertificate: CreateCertificate } {
  const def = loadSync(protoFile, { keepCase: true, longs: Number, includeDirs: [] });
  const pkg = loadPackageDefinition(def) as unknown as {
    istio: {
      v1: {
        auth: { IstioCertificateService: new (...a: unknown[]) => Client & { CreateCertificate: CreateCertificate } };
      };
    };
  };
  return new pkg.istio.v1.auth.IstioCertificateService(
    address,
    tls ? controlPlaneTls(tls) : credentials.createInsecure(),
    tls ? { 'grpc.ssl_target_name_override': tls.san } : {},
  );
}

/**
 * TLS to the control plane's 15012 at 127.0.0.1: its certificate must chain to `root` and name `san` (as agents
 * check ISTIOD_SAN); `client`, a certificate the mesh CA issued, is presented when given.
 */
export function controlPlaneTls(
  tls: { root: string; san: string },
  client?: { key: string; cert: string },
): ChannelCredentials {
  return credentials.createSsl(
    Buffer.from(tls.root),
    client ? Buffer.from(client.key) : null,
    client ? Buffer.from(client.cert) : null,
    {
      checkServerIdentity: (_host, cert) =>
        cert.subjectaltname?.split(', ').includes(`DNS:${tls.san}`)
          ? undefined
          : new Error(`the control plane's certificate does not name ${tls.san}: ${cert.subjectaltname ?? ''}`),
    },
  );
}

export interface CertificateRequest {
  address: string;
  /** TLS to the control plane's TLS port; plaintext when absent. */
  tls?: { root: string; san: string };
  token?: string;
  /** SANs the CSR asks for (the CA must ignore them). */
  csrSans?: string[];
  ttlSeconds?: number;
  /** ztunnel's ImpersonatedIdentity. */
  impersonate?: string;
}

export interface IssuedCertificate extends MeshIdentity {
  chain: string[];
}

/** A fresh EC P-256 key and a CSR for it, asking for `sans` (which the CA must ignore). */
export async function newCsr(sans: string[] = []): Promise<{ csr: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    keys,
    signingAlgorithm: alg,
    extensions: sans.length
      ? [new x509.SubjectAlternativeNameExtension(sans.map((value) => ({ type: 'url' as const, value })))]
      : [],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return {
    csr: csr.toString('pem'),
    key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`,
  };
}

/** One connection to the CA, for many requests. */
export class CaClient {
  private readonly client: ReturnType<typeof caClient>;

  constructor(address: string, tls?: { root: string; san: string }) {
    this.client = caClient(address, tls);
  }

  /** The chain for `csr`; rejects with the gRPC error. */
  create(csr: string, opts: { token?: string; ttlSeconds?: number; impersonate?: string } = {}): Promise<string[]> {
    const md = new Metadata();
    if (opts.token) md.set('authorization', `Bearer ${opts.token}`);
    const metadata = opts.impersonate
      ? { metadata: { fields: { ImpersonatedIdentity: { stringValue: opts.impersonate } } } }
      : {};
    return new Promise((resolve, reject) => {
      this.client.CreateCertificate({ csr, validity_duration: opts.ttlSeconds ?? 3600, ...metadata }, md, (err, r) =>
        err || !r ? reject(err ?? new Error('no response')) : resolve(r.cert_chain),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/** Creates a key and CSR and asks the CA once; rejects with the gRPC error. */
export async function requestCertificate(req: CertificateRequest): Promise<IssuedCertificate> {
  const { csr, key } = await newCsr(req.csrSans);
  const client = new CaClient(req.address, req.tls);
  try {
    const chain = await client.create(csr, {
      ...(req.token ? { token: req.token } : {}),
      ...(req.ttlSeconds ? { ttlSeconds: req.ttlSeconds } : {}),
      ...(req.impersonate ? { impersonate: req.impersonate } : {}),
    });
    return { chain, cert: chain.join(''), key };
  } finally {
    client.close();
  }
}

/** A TokenRequest token for a service account (audience istio-ca unless told otherwise). */
export async function serviceAccountToken(
  namespace: string,
  serviceAccount: string,
  audience = 'istio-ca',
): Promise<string> {
  const { stdout } = await kubectl([
    'create',
    'token',
    serviceAccount,
    '-n',
    namespace,
    '--audience',
    audience,
    '--duration',
    '1h',
  ]);
  return String(stdout).trim();
}

/** The mesh's root certificate as the control plane publishes it in `namespace` (istio-ca-root-cert); '' when not yet. */
export async function meshRootCert(namespace: string): Promise<string> {
  const cm = await kubectlJson<{ data?: Record<string, string> }>([
    ...['-n', namespace, 'get', 'configmap', 'istio-ca-root-cert'],
  ]);
  return cm.data?.['root-cert.pem'] ?? '';
}
