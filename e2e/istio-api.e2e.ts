// Istio's kinds and the Gateway API on the real API server: our CRDs install with client-side apply, the seeds' and
// realistic objects apply unchanged, misspelt fields are refused, versions convert, and waypoint Gateways apply.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump, loadAll } from 'js-yaml';
import { createNamespace, kubectl, kubectlJson } from './harness/cluster.ts';
import { applyCrds } from './harness/crds.ts';

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
const fixtures = loadAll(readFileSync('e2e/fixtures/istio-resources.yaml', 'utf8')) as Obj[];

const header = (stdout: string) =>
  stdout
    .split('\n')[0]
    ?.trim()
    .split(/\s{2,}/) ?? [];

describe('Istio and Gateway API kinds', () => {
  let ns: { name: string; remove: () => Promise<void> };
  beforeAll(async () => {
    await applyCrds();
    ns = await createNamespace('istio-api');
  });
  afterAll(async () => {
    await ns.remove();
  });

  test("the seeds' and realistic objects of every kind apply unchanged", async () => {
    const { stdout } = await kubectl(['apply', '-n', ns.name, '-f', 'e2e/fixtures/istio-resources.yaml']);
    for (const o of fixtures) expect(String(stdout)).toContain(`/${o.metadata.name} created`);
  });

  test('kubectl get vs,dr,se,we,ap,pa,ra,telemetry -A works and shows the columns', async () => {
    await kubectl(['apply', '-n', ns.name, '-f', 'e2e/fixtures/istio-resources.yaml']);
    const { stdout } = await kubectl(['get', 'vs,dr,se,we,ap,pa,ra,telemetry', '-A']);
    const blocks = String(stdout)
      .trim()
      .split(/\n\s*\n/);
    const headers = blocks.map((b) => header(b));
    expect(headers).toEqual([
      ['NAMESPACE', 'NAME', 'GATEWAYS', 'HOSTS', 'AGE'],
      ['NAMESPACE', 'NAME', 'HOST', 'AGE'],
      ['NAMESPACE', 'NAME', 'HOSTS', 'LOCATION', 'RESOLUTION', 'AGE'],
      ['NAMESPACE', 'NAME', 'AGE', 'ADDRESS'],
      ['NAMESPACE', 'NAME', 'ACTION', 'AGE'],
      ['NAMESPACE', 'NAME', 'MODE', 'AGE'],
      ['NAMESPACE', 'NAME', 'AGE'],
      ['NAMESPACE', 'NAME', 'AGE'],
    ]);
    expect(String(stdout)).toMatch(
      new RegExp(`${ns.name}\\s+virtualservice.networking.istio.io/reviews\\s+\\s+\\["reviews"\\]`),
    );
    expect(String(stdout)).toMatch(
      /serviceentry.networking.istio.io\/external-api\s+\["api.example.com"\]\s+MESH_EXTERNAL\s+DNS/,
    );
    expect(String(stdout)).toMatch(/workloadentry.networking.istio.io\/echo-v1\s+\S+\s+127.0.0.1/);
    expect(String(stdout)).toMatch(/authorizationpolicy.security.istio.io\/deny-admin\s+DENY/);
    expect(String(stdout)).toMatch(/peerauthentication.security.istio.io\/strict\s+STRICT/);
  });

  test('a VirtualService written as v1alpha3 reads back as v1', async () => {
    await kubectl(['apply', '-n', ns.name, '-f', 'e2e/fixtures/istio-resources.yaml']);
    const vs = await kubectlJson<Obj>(['get', '-n', ns.name, 'virtualservices.v1.networking.istio.io', 'helloworld']);
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.spec?.['http']).toEqual([
      {
        match: [{ uri: { exact: '/hello' } }],
        fault: { delay: { percentage: { value: 100 }, fixedDelay: '5s' } },
        route: [{ destination: { host: 'helloworld', port: { number: 5000 } } }],
      },
    ]);
  });

  test('a misspelt field in a typed kind is refused by strict field validation', async () => {
    const bad = (spec: object, kind = 'VirtualService', apiVersion = 'networking.istio.io/v1') =>
      kubectl(['apply', '-n', ns.name, '-f', '-'], {
        input: dump({ apiVersion, kind, metadata: { name: 'misspelt' }, spec }),
        reject: false,
      });
    const vs = await bad({ hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, wieght: 10 }] }] });
    expect(vs.exitCode).not.toBe(0);
    expect(vs.stderr).toContain('unknown field "spec.http[0].route[0].wieght"');
    const ap = await bad(
      { action: 'DENY', rules: [{ to: [{ operaton: {} }] }] },
      'AuthorizationPolicy',
      'security.istio.io/v1',
    );
    expect(ap.stderr).toContain('unknown field "spec.rules[0].to[0].operaton"');
  });

  test("Istio's validation rules refuse what istiod would: messages as upstream", async () => {
    const apply = (doc: object) =>
      kubectl(['apply', '--dry-run=server', '-n', ns.name, '-f', '-'], { input: dump(doc), reject: false });
    const se = await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'bad-se' },
      spec: { hosts: ['*'], resolution: 'NONE', endpoints: [{ address: '127.0.0.1' }] },
    });
    expect(se.stderr).toContain('hostname cannot be wildcard');
    expect(se.stderr).toContain('NONE mode cannot set endpoints');
    const we = await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: { name: 'bad-we' },
      spec: { address: 'unix://relative', ports: { http: 70000 } },
    });
    expect(we.stderr).toContain('UDS must be an absolute path or abstract socket');
    expect(we.stderr).toContain('port must be between 1-65535');
    const ap = await apply({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'bad-ap' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        targetRefs: [{ kind: 'Gateway', name: 'w', namespace: 'other' }],
      },
    });
    expect(ap.stderr).toContain('only one of targetRefs or selector can be set');
    expect(ap.stderr).toContain('cross namespace referencing is not currently supported');
    const vs = await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'bad-vs' },
      spec: { http: [{ timeout: 'soon', route: [{ destination: { host: 'a' } }] }] },
    });
    expect(vs.stderr).toContain('must be a valid duration greater than 1ms');
  });

  test('the Gateway API CRDs are installed and a Gateway of class istio-waypoint applies', async () => {
    const { stdout } = await kubectl(['get', 'crd', '-o', 'name']);
    for (const kind of [
      'gatewayclasses',
      'gateways',
      'httproutes',
      'grpcroutes',
      'referencegrants',
      'tcproutes',
      'tlsroutes',
    ]) {
      expect(String(stdout)).toContain(
        `customresourcedefinition.apiextensions.k8s.io/${kind}.gateway.networking.k8s.io`,
      );
    }
    const gw = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: {
        gatewayClassName: 'istio-waypoint',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      },
    };
    await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: dump(gw) });
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'echo' },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'echo' }],
        rules: [{ backendRefs: [{ name: 'echo-v1', port: 80 }] }],
      },
    };
    await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: dump(route) });
    const tcp = {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'TCPRoute',
      metadata: { name: 'tcp' },
      spec: { parentRefs: [{ name: 'waypoint' }], rules: [{ backendRefs: [{ name: 'echo', port: 9000 }] }] },
    };
    await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: dump(tcp) });
    const stored = await kubectlJson<{ spec: { gatewayClassName: string } }>([
      'get',
      '-n',
      ns.name,
      'gateway.gateway.networking.k8s.io',
      'waypoint',
    ]);
    expect(stored.spec.gatewayClassName).toBe('istio-waypoint');
  });
});
