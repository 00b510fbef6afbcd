// What each kind of proxy is served from one mesh model through the ADS server over 127.0.0.1: ztunnel the workload
// API (wildcard, and on-demand by IP with aliases and not-found removals), a waypoint its Envoy resources, a
// proxyless gRPC client what it names; and a model update pushed only where it changes something.
import { readFileSync } from 'node:fs';
import { anonymousCallers } from '../testing/anonymous-callers.ts';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { load } from 'js-yaml';
import { createLogger } from '../kube/logger.ts';
import { AdsTestClient } from '../testing/ads-client.ts';
import { MeshModel } from './model/model.ts';
import { decodeResource, typeUrls } from './proto/protos.ts';
import { MeshResources } from './source.ts';
import { XdsServer } from './server/xds-server.ts';

const model: MeshModel = MeshModel.parse(
  (
    load(readFileSync(new URL('./wds/testdata/service-waypoint.in.yaml', import.meta.url), 'utf8')) as {
      model: unknown;
    }
  ).model,
);
const source = new MeshResources(model);
const server = new XdsServer(source, { listeners: [{ host: '127.0.0.1', port: 0 }] }, createLogger('error'));
const clients: AdsTestClient[] = [];
let address = '';
const client = (id: string, metadata: Record<string, unknown> = {}) => {
  const c = new AdsTestClient(address, { id, metadata });
  clients.push(c);
  return c;
};
const ztunnel = 'ztunnel~10.244.0.2~ztunnel-x7k2p.istio-system~istio-system.svc.cluster.local';
const waypoint = 'waypoint~10.244.2.3~waypoint-6f8b-q9w8e.shop~shop.svc.cluster.local';

beforeAll(async () => {
  const [port] = await server.start({ authenticate: anonymousCallers });
  address = `127.0.0.1:${String(port)}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

describe('served from the mesh model', () => {
  test('ztunnel, wildcard: every workload and service, the bound Service carrying its waypoint', async () => {
    const s = client(ztunnel).delta();
    s.send({ typeUrl: typeUrls.address });
    const r = await s.next();
    expect(r.resources.map((x) => x.name).sort()).toEqual([
      'Kubernetes//Pod/shop/cart-5c6d-x1y2z',
      'Kubernetes//Pod/shop/waypoint-6f8b-q9w8e',
      'shop/cart.shop.svc.cluster.local',
      'shop/waypoint.shop.svc.cluster.local',
    ]);
    const cart = r.resources.find((x) => x.name === 'shop/cart.shop.svc.cluster.local');
    expect(decodeResource(typeUrls.address, cart?.resource.value ?? new Uint8Array())).toMatchObject({
      service: {
        name: 'cart',
        waypoint: {
          hostname: { namespace: 'shop', hostname: 'waypoint.shop.svc.cluster.local' },
          hboneMtlsPort: 15008,
        },
      },
    });
    s.end();
  });

  test('ztunnel, on demand: an IP is answered by the workload that has it, as an alias; an unknown IP as removed', async () => {
    const s = client(ztunnel).delta();
    s.send({ typeUrl: typeUrls.address, resourceNamesSubscribe: ['/10.244.2.11', '/10.9.9.9'] });
    const r = await s.next();
    expect(r.resources.map((x) => [x.name, x.aliases])).toEqual([
      ['Kubernetes//Pod/shop/cart-5c6d-x1y2z', ['/10.244.2.11']],
    ]);
    expect(r.removedResources).toEqual(['/10.9.9.9']);
    s.end();
  });

  test('a waypoint: its HBONE listeners and the clusters of the Service bound to it; an update reaches it', async () => {
    const s = client(waypoint, { WORKLOAD_NAME: 'waypoint' }).sotw();
    s.send({ typeUrl: typeUrls.cluster });
    const clusters = await s.next();
    const names = clusters.resources.map((x) => String(decodeResource(typeUrls.cluster, x.value)['name'])).sort();
    expect(names).toContain('inbound-vip|80|http|cart.shop.svc.cluster.local');
    s.send({ typeUrl: typeUrls.cluster, versionInfo: clusters.versionInfo, responseNonce: clusters.nonce });
    s.send({ typeUrl: typeUrls.listener });
    const listeners = await s.next();
    const bound = listeners.resources
      .map((x) => decodeResource(typeUrls.listener, x.value))
      .find((l) => l['name'] === 'connect_terminate');
    // Bound to the pod's own IP from the node id.
    expect(bound?.['address']).toEqual({ socketAddress: { address: '10.244.2.3', portValue: 15008 } });
    s.send({ typeUrl: typeUrls.listener, versionInfo: listeners.versionInfo, responseNonce: listeners.nonce });

    // A new port on the bound Service: new clusters for the waypoint.
    const services = model.services.map((svc) =>
      svc.name === 'cart'
        ? { ...svc, ports: [...svc.ports, { name: 'tcp', port: 9000, targetPort: 9000, protocol: 'tcp' as const }] }
        : svc,
    );
    source.update({ ...model, services });
    server.pushAll();
    const pushed = await s.next();
    expect(pushed.typeUrl).toBe(typeUrls.cluster);
    expect(pushed.resources.map((x) => String(decodeResource(typeUrls.cluster, x.value)['name']))).toContain(
      'inbound-vip|9000|tcp|cart.shop.svc.cluster.local',
    );
    s.end();
  });

  test('a proxyless gRPC client gets the Listener it names, resolved from its namespace', async () => {
    const s = client('sidecar~10.244.2.50~client-1.shop~shop.svc.cluster.local', { GENERATOR: 'grpc' }).sotw();
    s.send({ typeUrl: typeUrls.listener, resourceNames: ['cart:80', 'nope:80'] });
    const r = await s.next();
    expect(r.resources.map((x) => decodeResource(typeUrls.listener, x.value)['name'])).toEqual(['cart:80']);
    s.end();
  });
});
