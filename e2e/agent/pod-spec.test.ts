import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { containerEnv, expand, fieldValue, layOutVolumes, type Container, type Pod } from './pod-spec.ts';
import { withoutMetadataDiscovery } from './istio-module.ts';

const pod: Pod = {
  metadata: { name: 'wp-1', namespace: 'ns', uid: 'u1', labels: { b: 'x"y', a: '1' }, annotations: { k: 'v' } },
  spec: {
    serviceAccountName: 'wp',
    nodeName: 'node-0',
    volumes: [
      { name: 'empty', emptyDir: {} },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      {
        name: 'token',
        projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', path: 'istio-token' } }] },
      },
      { name: 'root', configMap: { name: 'istio-ca-root-cert' } },
    ],
  },
  status: { podIP: '10.0.0.5', hostIP: '127.0.0.1' },
};

describe("the kubelet's part for a container run locally", () => {
  test('downward API fields, including whole label maps in the %s=%q file form', () => {
    expect(fieldValue(pod, 'status.podIP')).toBe('10.0.0.5');
    expect(fieldValue(pod, "metadata.labels['b']")).toBe('x"y');
    expect(fieldValue(pod, 'metadata.labels')).toBe('a="1"\nb="x\\"y"');
    expect(fieldValue(pod, 'spec.missing')).toBe('');
  });

  test('env: fieldRef, resourceFieldRef with and without a limit, and $(VAR) expansion', () => {
    const container: Container = {
      name: 'istio-proxy',
      resources: { limits: { memory: '1Gi' } },
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
        { name: 'ID', value: '$(POD_NAME).$(UNKNOWN).$$(POD_NAME)' },
      ],
    };
    const env = containerEnv(pod, container);
    expect(env['POD_NAME']).toBe('wp-1');
    expect(env['MEM']).toBe('1024');
    expect(Number(env['CPU'])).toBeGreaterThan(0);
    expect(env['ID']).toBe('wp-1.$(UNKNOWN).$(POD_NAME)');
    expect(expand('--domain $(POD_NAME).svc', env)).toBe('--domain wp-1.svc');
  });

  test('volumes are laid out at their mount paths under the working directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pod-spec-'));
    const container: Container = {
      name: 'c',
      volumeMounts: [
        { name: 'empty', mountPath: '/etc/istio/proxy' },
        { name: 'info', mountPath: '/etc/istio/pod' },
        { name: 'token', mountPath: '/var/run/secrets/tokens' },
        { name: 'root', mountPath: '/var/run/secrets/istio' },
      ],
    };
    const asked: string[] = [];
    await layOutVolumes(root, pod, container, {
      token: (audience) => (asked.push(audience), Promise.resolve('jwt')),
      configMap: (name) => Promise.resolve({ 'root-cert.pem': `pem of ${name}` }),
    });
    expect(asked).toEqual(['istio-ca']);
    expect(await readFile(`${root}/var/run/secrets/tokens/istio-token`, 'utf8')).toBe('jwt');
    expect(await readFile(`${root}/var/run/secrets/istio/root-cert.pem`, 'utf8')).toBe('pem of istio-ca-root-cert');
    expect(await readFile(`${root}/etc/istio/pod/labels`, 'utf8')).toBe('a="1"\nb="x\\"y"');
  });
});

describe("Istio's bootstrap template for upstream Envoy", () => {
  const block = (name: string) =>
    `  "bootstrap_extensions": [\n    {{- if .metadata_discovery }}\n    { "name": "${name}", "@type": "istio.workload.X" },\n    {{- end }}\n    { "name": "b" }\n  ]`;

  test('drops the metadata_discovery extension block and nothing else', () => {
    const out = withoutMetadataDiscovery(`{\n${block('metadata_discovery')}\n}`);
    expect(out).toBe('{\n  "bootstrap_extensions": [\n    { "name": "b" }\n  ]\n}');
  });

  test('fails clearly when the block is not there (the template changed)', () => {
    expect(() => withoutMetadataDiscovery(`{\n${block('other')}\n}`, 'envoy_bootstrap.json')).toThrow(
      /envoy_bootstrap.json: expected exactly one .* found 0; the template changed/,
    );
  });
});
