// The shipped build: `npm run bundle` makes one ES module with the files it reads beside it; copied alone into an
// image-like directory (no node_modules anywhere above it), it runs as the control plane: it reconciles a waypoint
// Gateway and serves xDS with the protos it carries.
import { cpSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { dump } from 'js-yaml';
import { resources } from '../src/kube/resources.ts';
import { typeUrls } from '../src/xds/proto/protos.ts';
import { AdsTestClient } from '../src/testing/ads-client.ts';
import { serviceAccountToken } from './harness/ca-client.ts';
import { kubectl, testCluster } from './harness/cluster.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { condition, watchObject } from './harness/wait.ts';

const id = randomBytes(3).toString('hex');
const ns = `bundle-${id}`;

describe('the bundled program', () => {
  let rev: TestRevision;
  let image: string;

  beforeAll(async () => {
    await execa('npm', ['run', '-s', 'bundle']);
    image = `${(await testCluster()).runDir}/image-${id}`;
    mkdirSync(image, { recursive: true });
    cpSync('dist/bundle', `${image}/bundle`, { recursive: true });
    cpSync('dist/package.json', `${image}/package.json`);
    rev = await startRevision(`bundle-${id}`, `istio-bundle-${id}`, `${image}/bundle/ambit.mjs`);
    await rev.createNamespace(ns);
  });

  afterAll(async () => {
    await rev.remove(ns);
  });

  test('runs alone: its version, and a waypoint Gateway made and Programmed by it', async () => {
    const { stdout } = await execa(process.execPath, [`${image}/bundle/ambit.mjs`, 'version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    await kubectl(['apply', '-f', '-'], {
      input: dump({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'waypoint', namespace: ns, labels: { 'istio.io/rev': rev.revision } },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      }),
    });
    await watchObject(resources.gateway, 'waypoint', ns, (o) => condition(o, 'Programmed')?.status === 'True', 60_000);
  });

  test('serves xDS from the protos beside it: a waypoint gets its clusters', async () => {
    const client = new AdsTestClient(
      `127.0.0.1:${String(rev.controlPlane.xdsPort)}`,
      {
        id: `waypoint~127.0.0.1~waypoint-5d8f7c9b4-x2x7q.${ns}~${ns}.svc.cluster.local`,
        metadata: { WORKLOAD_NAME: 'waypoint' },
      },
      { token: await serviceAccountToken(ns, 'waypoint') },
    );
    try {
      const s = client.delta();
      s.send({ typeUrl: typeUrls.cluster });
      const r = await s.next(10_000);
      expect(r.resources.map((x) => x.name).sort()).toEqual(['connect_originate', 'encap', 'main_internal']);
      s.end();
    } finally {
      client.close();
    }
  });
});
