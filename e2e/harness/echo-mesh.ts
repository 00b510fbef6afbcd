// The seed 000 mesh on loopback, for tests and benchmarks of a real waypoint: Services echo, echo-v1 and echo-v2 in a
// namespace bound to the waypoint, their endpoints WorkloadEntries captured by the mesh (HBONE) on addresses of
// their own, an HBONE terminator there with the workload's certificate from the CA (the destination ztunnel's part)
// in front of an HTTP backend, and requests sent over HBONE as the source ztunnel would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dump } from 'js-yaml';
import { kubectl, kubectlJson } from './cluster.ts';
import { hboneReply, type MeshIdentity, type TunnelReply } from '../xds/hbone-client.ts';
import { startHboneTerminator, type HboneTerminator } from '../xds/hbone-terminator.ts';

export const echoVersions = ['v1', 'v2'] as const;
export type EchoVersion = (typeof echoVersions)[number];

export interface EchoMeshOptions {
  namespace: string;
  /** Where each version's workload lives, e.g. 127.0.20.1. */
  addresses: Record<EchoVersion, string>;
  /** The mesh root and a workload certificate for a service account of the namespace, from the CA. */
  root: string;
  certificateFor: (serviceAccount: string) => Promise<MeshIdentity>;
}

export interface EchoMesh {
  /** echo's cluster IP: only the CONNECT authority, never dialled. */
  vip: string;
  /** One request through `waypoint` (`ip:15008`) as `from`; a failure is a reply with connect 0 and the error. */
  send: (waypoint: string, from: MeshIdentity, path?: string, timeoutMs?: number) => Promise<TunnelReply>;
  close: () => Promise<void>;
}

export const applyObjects = (...docs: object[]) =>
  kubectl(['apply', '-f', '-'], { input: docs.map((d) => dump(d)).join('---\n') });

/** The HTTPRoute on echo (GAMMA: a Service parent) with these rules. */
export const echoRoute = (namespace: string, rules: object[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'echo', namespace },
  spec: { parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }], rules },
});

/** The body each backend answers with. */
export const helloFrom = (version: EchoVersion) => `hello from echo-${version}`;

export async function startEchoMesh(opts: EchoMeshOptions): Promise<EchoMesh> {
  const ns = opts.namespace;
  const service = (name: string, selector: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  const servers: Server[] = [];
  const terminators: HboneTerminator[] = [];
  for (const version of echoVersions) {
    await kubectl(['-n', ns, 'create', 'serviceaccount', `echo-${version}`]);
    const server = createServer((_req, res) => res.end(helloFrom(version)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    terminators.push(
      await startHboneTerminator({
        address: opts.addresses[version],
        identity: await opts.certificateFor(`echo-${version}`),
        root: opts.root,
        backends: { 8080: (server.address() as AddressInfo).port },
      }),
    );
  }
  await applyObjects(
    service('echo', { app: 'echo' }),
    ...echoVersions.map((v) => service(`echo-${v}`, { app: 'echo', version: v })),
    ...echoVersions.map((version) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: { name: `echo-${version}`, namespace: ns, annotations: { 'ambient.istio.io/redirection': 'enabled' } },
      spec: {
        address: opts.addresses[version],
        ports: { http: 8080 },
        labels: { app: 'echo', version },
        serviceAccount: `echo-${version}`,
      },
    })),
  );
  const vip = (await kubectlJson<{ spec: { clusterIP: string } }>(['-n', ns, 'get', 'service', 'echo'])).spec.clusterIP;
  return {
    vip,
    send: (waypoint, from, path = '/', timeoutMs = 5000) =>
      hboneReply(waypoint, `${vip}:80`, from, opts.root, path, timeoutMs),
    close: async () => {
      for (const t of terminators) await t.close();
      for (const s of servers) s.close();
    },
  };
}
