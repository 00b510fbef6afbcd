// Ambit's Istio CA against the real API server: callers authenticated by TokenReview get exactly their own SPIFFE
// identity, node agents named in CA_TRUSTED_NODE_ACCOUNTS alone may ask for others', bad tokens are refused, the
// self-signed root survives a restart, and a plugged `cacerts` CA is used when present.
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { status, type ServiceError } from '@grpc/grpc-js';
import { signCsr } from './cluster/pki.ts';
import type { ClusterState } from './cluster/state.ts';
import { kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { startControlPlane, type ControlPlaneProcess } from './harness/control-plane.ts';
import { meshRootCert, requestCertificate, serviceAccountToken, type CertificateRequest } from './harness/ca-client.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { until } from './harness/until.ts';

const id = randomBytes(3).toString('hex');
const revision = `ca-${id}`;
const istioNs = `istio-ca-${id}`;
const ns = `ca-${id}`;
const spiffe = (namespace: string, sa: string) => `spiffe://cluster.local/ns/${namespace}/sa/${sa}`;

/** The gRPC status a request fails with. */
const refusal = (req: CertificateRequest) =>
  requestCertificate(req).then(
    () => ({ code: status.OK, details: 'issued' }),
    (err: unknown) => ({ code: (err as ServiceError).code, details: (err as ServiceError).details }),
  );

/** A real token of `namespace/sa`, re-signed with the cluster's service-account key so that it expired an hour ago. */
async function expiredToken(cluster: ClusterState, namespace: string, sa: string): Promise<string> {
  const [header = '', payload = ''] = (await serviceAccountToken(namespace, sa)).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const body = Buffer.from(JSON.stringify({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 })).toString(
    'base64url',
  );
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${body}`)
    .sign(await readFile(`${cluster.runDir}/pki/sa.key`, 'utf8'), 'base64url');
  return `${header}.${body}.${signature}`;
}

/** An operator's own CA as `cacerts` holds it: a root and an intermediate that signs (openssl, EC P-256). */
async function pluggedCa(dir: string): Promise<{ root: string; intermediate: string; data: Record<string, string> }> {
  await mkdir(dir, { recursive: true });
  const ssl = (...args: string[]) => execa('openssl', args, { cwd: dir });
  await ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.key');
  await writeFile(`${dir}/ca.ext`, 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n');
  await ssl('req', '-x509', '-new', '-key', 'root.key', '-out', 'root.crt', '-days', '30', '-subj', '/O=plugged-root');
  await ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'intermediate.key');
  await ssl('req', '-new', '-key', 'intermediate.key', '-out', 'intermediate.csr', '-subj', '/O=plugged-intermediate');
  await signCsr(ssl, 'intermediate', { cert: 'root.crt', key: 'root.key' }, 'ca.ext', 20);
  const [root, intermediate, key] = await Promise.all(
    ['root.crt', 'intermediate.crt', 'intermediate.key'].map((f) => readFile(`${dir}/${f}`, 'utf8')),
  );
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    root: root ?? '',
    intermediate: intermediate ?? '',
    data: {
      'ca-cert.pem': b64(intermediate ?? ''),
      'ca-key.pem': b64(key ?? ''),
      'root-cert.pem': b64(root ?? ''),
      'cert-chain.pem': b64(`${intermediate ?? ''}${root ?? ''}`),
    },
  };
}

describe("Ambit's Istio CA", () => {
  let cluster: ClusterState;
  let rev: TestRevision;
  let controlPlane: ControlPlaneProcess;
  let root: string;
  let trusted: [string, string];
  const overTls = () => ({
    address: `127.0.0.1:${String(controlPlane.tlsPort)}`,
    tls: { root, san: controlPlane.san },
  });
  const rootConfigMap = () => meshRootCert(ns).catch(() => '');
  const restart = async () => {
    await controlPlane.stop();
    controlPlane = await startControlPlane(cluster, istioNs, revision, undefined, controlPlane);
  };

  beforeAll(async () => {
    cluster = await testCluster();
    rev = await startRevision(revision, istioNs);
    controlPlane = rev.controlPlane;
    await rev.createNamespace(ns);
    for (const sa of ['sleep', 'echo']) await kubectl(['-n', ns, 'create', 'serviceaccount', sa]);
    // The node agent the rendered istiod trusts (CA_TRUSTED_NODE_ACCOUNTS), as the operator rendered it.
    const d = await kubectlJson<{
      spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
    }>(['-n', istioNs, 'get', 'deployment', `istiod-${revision}`]);
    const accounts = d.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'CA_TRUSTED_NODE_ACCOUNTS');
    const [trustedNs = '', trustedSa = ''] = (accounts?.value ?? '').split(',')[0]?.split('/') ?? [];
    trusted = [trustedNs, trustedSa];
    await kubectl(['-n', trustedNs, 'create', 'serviceaccount', trustedSa]).catch(() => undefined);
    root = await until(rootConfigMap, (r) => r.includes('BEGIN CERTIFICATE'), 'the root ConfigMap');
  });

  afterAll(async () => {
    if (controlPlane !== rev.controlPlane) await controlPlane.stop();
    await rev.remove(ns);
  });

  test("a TokenReview-authenticated CSR gets exactly the token's SPIFFE identity, whatever the CSR asks for", async () => {
    const issued = await requestCertificate({
      ...overTls(),
      token: await serviceAccountToken(ns, 'sleep'),
      csrSans: [spiffe(ns, 'waypoint'), 'spiffe://evil.example/ns/x/sa/y'],
      ttlSeconds: 10 * 365 * 86400,
    });
    const leaf = new X509Certificate(issued.chain[0] ?? '');
    expect(leaf.subjectAltName).toBe(`URI:${spiffe(ns, 'sleep')}`);
    expect(issued.chain.at(-1)?.trim()).toBe(root.trim());
    expect(leaf.checkIssued(new X509Certificate(root))).toBe(true);
    // Asked for ten years; capped at MAX_WORKLOAD_CERT_TTL (90 days by default).
    expect(new Date(leaf.validTo).getTime()).toBeLessThanOrEqual(Date.now() + 90 * 86400_000 + 60_000);
  });

  test('the plaintext xDS port serves the CA too (as pilot-agent uses :15010)', async () => {
    const issued = await requestCertificate({
      address: `127.0.0.1:${String(controlPlane.xdsPort)}`,
      token: await serviceAccountToken(ns, 'echo'),
    });
    expect(new X509Certificate(issued.chain[0] ?? '').subjectAltName).toBe(`URI:${spiffe(ns, 'echo')}`);
  });

  test("a token for another service account cannot get the waypoint's identity", async () => {
    const r = await refusal({
      ...overTls(),
      token: await serviceAccountToken(ns, 'sleep'),
      impersonate: spiffe(ns, 'waypoint'),
    });
    expect(r.code).toBe(status.PERMISSION_DENIED);
    expect(r.details).toMatch(/sleep/);
  });

  test('an expired, a wrong-audience and a missing token are refused', async () => {
    const expired = await refusal({ ...overTls(), token: await expiredToken(cluster, ns, 'sleep') });
    expect(expired.code).toBe(status.UNAUTHENTICATED);
    expect(expired.details).toMatch(/expired/i);
    const audience = await refusal({ ...overTls(), token: await serviceAccountToken(ns, 'sleep', 'not-istio-ca') });
    expect(audience.code).toBe(status.UNAUTHENTICATED);
    const none = await refusal(overTls());
    expect(none.code).toBe(status.UNAUTHENTICATED);
    expect(none.details).toMatch(/bearer token/);
  });

  test('a trusted node account gets the identities of pods on its node only, with its pod-bound token', async () => {
    const [trustedNs, trustedSa] = trusted;
    const [node = ''] = String(
      (await kubectl(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout,
    ).split(' ');
    const podOn = (namespace: string, name: string, serviceAccount: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace },
      spec: { nodeName: node, serviceAccountName: serviceAccount, containers: [{ name: 'app', image: 'app' }] },
    });
    await kubectl(['apply', '-f', '-'], {
      input: [podOn(trustedNs, `ztunnel-${id}`, trustedSa), podOn(ns, 'echo', 'echo')]
        .map((p) => JSON.stringify(p))
        .join('\n'),
    });
    const uid = String(
      (await kubectl(['-n', trustedNs, 'get', 'pod', `ztunnel-${id}`, '-o', 'jsonpath={.metadata.uid}'])).stdout,
    );
    const bound = String(
      (
        await kubectl([
          ...['create', 'token', trustedSa, '-n', trustedNs, '--audience', 'istio-ca', '--duration', '1h'],
          ...['--bound-object-kind', 'Pod', '--bound-object-name', `ztunnel-${id}`, '--bound-object-uid', uid],
        ])
      ).stdout,
    ).trim();
    // The CA sees pods through its informer: the new ones arrive within moments.
    await until(
      () => refusal({ ...overTls(), token: bound, impersonate: spiffe(ns, 'echo') }),
      (r) => r.code === status.OK,
      'the echo pod seen on the node',
    );
    const issued = await requestCertificate({ ...overTls(), token: bound, impersonate: spiffe(ns, 'echo') });
    expect(new X509Certificate(issued.chain[0] ?? '').subjectAltName).toBe(`URI:${spiffe(ns, 'echo')}`);
    const elsewhere = await refusal({ ...overTls(), token: bound, impersonate: spiffe(ns, 'sleep') });
    expect(elsewhere.code).toBe(status.PERMISSION_DENIED);
    expect(elsewhere.details).toMatch(new RegExp(`no pod of ${ns}/sleep runs on node ${node}`));
    const unbound = await refusal({
      ...overTls(),
      token: await serviceAccountToken(trustedNs, trustedSa),
      impersonate: spiffe(ns, 'echo'),
    });
    expect(unbound.code).toBe(status.PERMISSION_DENIED);
    expect(unbound.details).toMatch(/not bound to a pod/);
    await kubectl(['-n', trustedNs, 'delete', 'pod', `ztunnel-${id}`, '--wait=false']);
  });

  test('the self-signed root survives a restart', async () => {
    const secretBefore = await kubectlJson<{ data: Record<string, string> }>([
      ...['-n', istioNs, 'get', 'secret', 'istio-ca-secret'],
    ]);
    await restart();
    const issued = await requestCertificate({ ...overTls(), token: await serviceAccountToken(ns, 'sleep') });
    expect(new X509Certificate(issued.chain[0] ?? '').checkIssued(new X509Certificate(root))).toBe(true);
    expect(await rootConfigMap()).toBe(root);
    const secretAfter = await kubectlJson<{ data: Record<string, string> }>([
      ...['-n', istioNs, 'get', 'secret', 'istio-ca-secret'],
    ]);
    expect(secretAfter.data).toEqual(secretBefore.data);
  });

  test('a plugged cacerts CA signs instead, and its root is published', async () => {
    const plugged = await pluggedCa(`${cluster.runDir}/plugged-ca-${id}`);
    await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cacerts', namespace: istioNs },
        data: plugged.data,
      }),
    });
    await restart();
    await until(rootConfigMap, (r) => r === plugged.root, 'the plugged root published');
    root = plugged.root;
    const issued = await requestCertificate({ ...overTls(), token: await serviceAccountToken(ns, 'sleep') });
    const [leaf = '', intermediate = '', last = ''] = issued.chain;
    expect(new X509Certificate(leaf).checkIssued(new X509Certificate(plugged.intermediate))).toBe(true);
    expect(intermediate.trim()).toBe(plugged.intermediate.trim());
    expect(last.trim()).toBe(plugged.root.trim());
  });
});
