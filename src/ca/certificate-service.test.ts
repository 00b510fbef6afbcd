// IstioCertificateService over a real grpc-js server on 127.0.0.1 and a client loading the proto on its own (as
// pilot-agent's and ztunnel's generated code would): tokens missing or refused, issuance, ztunnel-style
// impersonation by a trusted node account and by anyone else, lifetimes, bad CSRs, counters and logs.
import { X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type Client,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import winston from 'winston';
import { metricsRegistry } from '../kube/metrics.ts';
import { createSelfSignedAuthority, type CertificateAuthority } from './authority.ts';
import { certificateServiceDefinition, certificateServiceName } from './ca-proto.ts';
import { certificateService } from './certificate-service.ts';
import { corruptSignature, csrPem } from '../testing/ca-fixtures.ts';

const td = 'cluster.local';
const accounts: Record<string, { namespace: string; serviceAccount: string }> = {
  'app-token': { namespace: 'default', serviceAccount: 'app' },
  'ztunnel-token': { namespace: 'istio-system', serviceAccount: 'ztunnel' },
  'intruder-token': { namespace: 'default', serviceAccount: 'intruder' },
};
const clusterIds: (string | undefined)[] = [];
const logs: Record<string, unknown>[] = [];
/** Every log line, parsed, to check what was logged at which level. */
const capture = new winston.transports.Stream({
  stream: new Writable({
    write: (chunk: Buffer, _enc, done) => {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
});
// winston's transports are TransportStreams; the rule trips over the two copies of its type declarations.
// eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
const log = winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [capture] });

let ca: CertificateAuthority;
const server = new Server();
let client: Client;

interface Response {
  cert_chain: string[];
}
type Call = (req: object, md: Metadata, cb: (err: ServiceError | null, res?: Response) => void) => void;

/** CreateCertificate with an optional bearer token and request metadata; resolves to the chain or the error. */
function create(
  token: string | undefined,
  req: { csr: string; validity_duration?: number; metadata?: object },
  headers: Record<string, string> = {},
): Promise<{ chain?: string[]; error?: ServiceError }> {
  const md = new Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  for (const [k, v] of Object.entries(headers)) md.set(k, v);
  const call = (client as unknown as { CreateCertificate: Call }).CreateCertificate.bind(client);
  return new Promise((resolve) => {
    call(req, md, (error, res) => resolve(error ? { error } : { chain: res?.cert_chain ?? [] }));
  });
}

// protobufjs defines the well-known types with camelCase names, whatever keepCase says.
const impersonating = (identity: string) => ({ fields: { ImpersonatedIdentity: { stringValue: identity } } });
const leafOf = (chain: string[] | undefined) => new X509Certificate(chain?.[0] ?? '');
const counter = async (name: string) =>
  (await metricsRegistry.getSingleMetric(name)!.get()).values.reduce((n, v) => n + v.value, 0);

beforeAll(async () => {
  ca = await createSelfSignedAuthority({ trustDomain: td, ttlDays: 30 });
  server.addService(
    certificateServiceDefinition(),
    certificateService({
      authority: () => ca,
      authenticate: (token, clusterId) => {
        clusterIds.push(clusterId);
        const who = accounts[token];
        return who ? Promise.resolve(who) : Promise.reject(new Error('the token has expired'));
      },
      // Stands in for the node check: only workloads of `shop` run on the trusted ztunnel's node.
      authorizeImpersonation: (_caller, wanted) => {
        if (wanted.namespace !== 'shop') throw new Error(`no pod of ${wanted.namespace}/${wanted.serviceAccount} here`);
      },
      trustDomain: td,
      trustedNodeAccounts: ['istio-system/ztunnel'],
      defaultTtlSeconds: 3600,
      maxTtlSeconds: 7200,
      log,
    }),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  // The client's own view of the proto, with the field names as written there.
  const protoDir = fileURLToPath(new URL('./proto', import.meta.url));
  const def = loadSync('ca.proto', { includeDirs: [protoDir], keepCase: true, longs: Number });
  const Ctor = makeGenericClientConstructor(def[certificateServiceName] as ServiceDefinition, 'ca');
  client = new Ctor(`127.0.0.1:${String(port)}`, credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

describe('authentication', () => {
  test('no bearer token: UNAUTHENTICATED, saying what to send', async () => {
    const failures = await counter('citadel_server_authentication_failure_count');
    const { error } = await create(undefined, { csr: await csrPem('ec') });
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(error?.details).toMatch(/^no bearer token in the authorization metadata/);
    expect(await counter('citadel_server_authentication_failure_count')).toBe(failures + 1);
  });

  test('a refused token: UNAUTHENTICATED with the reason, logged at warn', async () => {
    const { error } = await create('stale', { csr: await csrPem('ec') });
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(error?.details).toBe('token refused: the token has expired');
    expect(logs.at(-1)).toMatchObject({ level: 'warn', controller: 'ca', code: 'UNAUTHENTICATED' });
  });
});

describe('issuance', () => {
  test("the caller's own identity, leaf then root, the cluster id header handed to authenticate", async () => {
    const [csrs, issued] = [
      await counter('citadel_server_csr_count'),
      await counter('citadel_server_success_cert_issuance_count'),
    ];
    const { chain, error } = await create('app-token', { csr: await csrPem('rsa') }, { ClusterID: 'Kubernetes' });
    expect(error).toBeUndefined();
    expect(chain).toHaveLength(2);
    expect(chain![1]).toBe(ca.rootPem);
    const leaf = leafOf(chain);
    expect(leaf.subjectAltName).toBe(`URI:spiffe://${td}/ns/default/sa/app`);
    expect(leaf.verify(ca.signingCertificate.publicKey)).toBe(true);
    expect(clusterIds.at(-1)).toBe('Kubernetes');
    expect(await counter('citadel_server_csr_count')).toBe(csrs + 1);
    expect(await counter('citadel_server_success_cert_issuance_count')).toBe(issued + 1);
    expect(logs.at(-1)).toMatchObject({ level: 'debug', key: `spiffe://${td}/ns/default/sa/app` });
  });

  test('lifetime: the default for none, capped at the maximum', async () => {
    const lifetime = async (validity_duration: number) => {
      const { chain } = await create('app-token', { csr: await csrPem('ec'), validity_duration });
      return (leafOf(chain).validToDate.getTime() - Date.now()) / 1000;
    };
    expect(Math.abs((await lifetime(0)) - 3600)).toBeLessThan(10);
    expect(Math.abs((await lifetime(-5)) - 3600)).toBeLessThan(10);
    expect(Math.abs((await lifetime(600)) - 600)).toBeLessThan(10);
    expect(Math.abs((await lifetime(10 * 86400)) - 7200)).toBeLessThan(10);
  });

  test('a bad CSR: INVALID_ARGUMENT, counted as a CSR error', async () => {
    const before = await counter('citadel_server_csr_sign_err_count');
    const { error } = await create('app-token', { csr: corruptSignature(await csrPem('ec')) });
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/signature/);
    const metric = await metricsRegistry.getSingleMetric('citadel_server_csr_sign_err_count')!.get();
    expect(metric.values.find((v) => v.labels['error'] === 'CSR_ERROR')?.value).toBeGreaterThan(0);
    expect(await counter('citadel_server_csr_sign_err_count')).toBe(before + 1);
  });
});

describe('impersonation', () => {
  const workload = `spiffe://${td}/ns/shop/sa/cart`;

  test('a trusted node account gets the identity it asks for', async () => {
    const { chain, error } = await create('ztunnel-token', {
      csr: await csrPem('ec'),
      metadata: impersonating(workload),
    });
    expect(error).toBeUndefined();
    expect(leafOf(chain).subjectAltName).toBe(`URI:${workload}`);
  });

  test('any other account is denied, even asking for an identity that exists', async () => {
    const { error } = await create('intruder-token', { csr: await csrPem('ec'), metadata: impersonating(workload) });
    expect(error?.code).toBe(status.PERMISSION_DENIED);
    expect(error?.details).toMatch(/default\/intruder may not request a certificate for .*CA_TRUSTED_NODE_ACCOUNTS/);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', key: `spiffe://${td}/ns/default/sa/intruder` });
  });

  test("a trusted node account is denied an identity the node check refuses, with the check's reason", async () => {
    const wanted = `spiffe://${td}/ns/bank/sa/vault`;
    const { error } = await create('ztunnel-token', { csr: await csrPem('ec'), metadata: impersonating(wanted) });
    expect(error?.code).toBe(status.PERMISSION_DENIED);
    expect(error?.details).toMatch(/istio-system\/ztunnel may not have .*bank\/sa\/vault: no pod of bank\/vault here/);
  });

  test('asking for its own identity needs no trust', async () => {
    const own = `spiffe://${td}/ns/default/sa/app`;
    const { chain } = await create('app-token', { csr: await csrPem('ec'), metadata: impersonating(own) });
    expect(leafOf(chain).subjectAltName).toBe(`URI:${own}`);
  });

  test('the identity must be a SPIFFE id of our trust domain', async () => {
    for (const wanted of ['spiffe://evil.example/ns/shop/sa/cart', 'spiffe://cluster.local/ns/shop', 'cart']) {
      const { error } = await create('ztunnel-token', { csr: await csrPem('ec'), metadata: impersonating(wanted) });
      expect(error?.code).toBe(status.INVALID_ARGUMENT);
      expect(error?.details).toMatch(/is not a SPIFFE id of trust domain cluster\.local/);
    }
  });
});
