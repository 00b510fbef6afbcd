// The SDS that pilot-agent gives its Envoy, for tests without pilot-agent: on a Unix socket, secrets `default`
// (the workload certificate) and `ROOTCA` (the mesh root), served by our own xDS server code as SDS streams.
import { createLogger } from '../../src/kube/logger.ts';
import { encodeResource, typeUrls } from '../../src/xds/protos.ts';
import { resource, type Resource, type ResourceSource } from '../../src/xds/server/resources.ts';
import { XdsServer } from '../../src/xds/server/xds-server.ts';
import type { MeshIdentity } from './mesh-pki.ts';

export async function startSdsServer(
  socket: string,
  identity: MeshIdentity,
  root: string,
): Promise<{ stop: () => Promise<void> }> {
  const secret = (name: string, body: object): Resource =>
    resource(name, encodeResource(typeUrls.secret, { name, ...body }));
  const secrets = new Map([
    [
      'default',
      secret('default', {
        tlsCertificate: {
          certificateChain: { inlineString: identity.cert },
          privateKey: { inlineString: identity.key },
        },
      }),
    ],
    ['ROOTCA', secret('ROOTCA', { validationContext: { trustedCa: { inlineString: root } } })],
  ]);
  const source: ResourceSource = {
    typesFor: () => [typeUrls.secret],
    resources: (_p, _t, names) => new Map([...secrets].filter(([n]) => !names || names.has(n))),
  };
  const server = new XdsServer(source, { listeners: [{ socket }], sds: true }, createLogger('error'));
  await server.start();
  return { stop: () => server.stop() };
}
