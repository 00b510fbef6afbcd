// Golden files for the proxyless gRPC generator: testdata/<case>.in.yaml holds a mesh (the waypoint golden cases'
// format), the client's namespace and the targets it dials; testdata/<case>.out.yaml what each lookup returns, as
// the client would walk it: Listener → RouteConfiguration → Clusters → ClusterLoadAssignments. Every resource must
// encode through the Envoy protos and decode back unchanged. UPDATE_GOLDEN=1 rewrites the outputs.
import { test } from '@jest/globals';
import { z } from 'zod';
import { typeUrls } from '../proto/protos.ts';
import { describeGolden, expectRoundTrip, goldenCases } from '../../testing/golden.ts';
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

const cases = goldenCases(testdata, (raw) => GrpcCase.parse(raw)).map(({ name, input }) => {
  const walked = walk(input);
  const documents = walked.map(({ target, resources }) => ({
    target,
    resources: resources.map(([typeUrl, r]) => ({
      type: typeUrl.slice(typeUrl.lastIndexOf('.') + 1),
      resource: r ?? null,
    })),
  }));
  return { name, walked, documents: [{ description: input.description }, ...documents] };
});

describeGolden('proxyless gRPC generator', testdata, cases);

test('every resource a client walks encodes with its proto and decodes back unchanged', () => {
  for (const { name, walked } of cases)
    for (const { target, resources } of walked)
      for (const [typeUrl, resource] of resources) if (resource) expectRoundTrip({ name, target }, typeUrl, resource);
});
