// Golden files for the proxyless gRPC generator: testdata/<case>.in.yaml holds a mesh (the waypoint golden cases'
// format), the client's namespace and the targets it dials; testdata/<case>.out.yaml what each lookup returns, as
// the client would walk it: Listener → RouteConfiguration → Clusters → ClusterLoadAssignments. Every resource must
// encode through the Envoy protos and decode back unchanged. UPDATE_GOLDEN=1 rewrites the outputs.
import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { decodeResource, encodeResource, typeUrls } from '../proto/protos.ts';
import { golden, goldenCases } from '../../testing/golden.ts';
import { MeshModel } from '../model/model.ts';
import { CaseMesh } from '../../testing/waypoint-case.ts';
import { grpcCluster, grpcEndpoints, grpcListener, grpcRouteConfiguration, indexForGrpc } from './generate.ts';

const GrpcCase = z
  .strictObject({
    description: z.string(),
    clientNamespace: z.string().default('default'),
    targets: z.array(z.string()),
    ...CaseMesh,
  })
  .transform(({ description, clientNamespace, targets, ...rest }) => ({
    description,
    clientNamespace,
    targets,
    model: MeshModel.parse(rest),
  }));

const testdata = new URL('./testdata/', import.meta.url);

/** What a client dialling each target is sent, following the names as it would. */
function walk(c: z.infer<typeof GrpcCase>) {
  const index = indexForGrpc(c.model);
  const out: { target: string; resources: [string, object | undefined][] }[] = [];
  for (const target of c.targets) {
    const listener = grpcListener(index, target, c.clientNamespace) as
      { apiListener: { apiListener: { rds: { routeConfigName: string } } } } | undefined;
    const resources: [string, object | undefined][] = [[typeUrls.listener, listener]];
    if (listener) {
      const routeName = listener.apiListener.apiListener.rds.routeConfigName;
      const routes = grpcRouteConfiguration(index, routeName);
      resources.push([typeUrls.route, routes]);
      const hosts = (routes as { virtualHosts?: unknown } | undefined)?.virtualHosts;
      const clusters = new Set(JSON.stringify(hosts).match(/outbound\|\d+\|\|[a-z0-9.-]+/g) ?? []);
      for (const name of [...clusters].sort()) {
        resources.push([typeUrls.cluster, grpcCluster(index, name)], [typeUrls.endpoint, grpcEndpoints(index, name)]);
      }
    }
    out.push({ target, resources });
  }
  return out;
}

describe('proxyless gRPC generator', () => {
  for (const { name, input } of goldenCases(testdata, (raw) => GrpcCase.parse(raw))) {
    test(name, async () => {
      const walked = walk(input);
      for (const { resources } of walked) {
        for (const [typeUrl, resource] of resources) {
          if (!resource) continue;
          expect(decodeResource(typeUrl, encodeResource(typeUrl, resource))).toEqual(resource);
        }
      }
      const documents = walked.map(({ target, resources }) => ({
        target,
        resources: resources.map(([typeUrl, r]) => ({
          type: typeUrl.slice(typeUrl.lastIndexOf('.') + 1),
          resource: r ?? null,
        })),
      }));
      const { expected, actual } = await golden(testdata, name, [{ description: input.description }, ...documents]);
      expect(actual).toBe(expected);
    });
  }
});
