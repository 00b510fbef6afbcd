// The input of a waypoint or proxyless gRPC golden case (testdata/<case>.in.yaml): the model's own schema
// (src/xds/model/model.ts) with three shorthands for what these cases always spell the same way — a Service's hostname
// defaults to `<name>.<ns>.svc.cluster.local`, a port's targetPort to its port, and a waypoint is written
// `<ns>/<name>`. A waypoint case also names the waypoint to generate for, which serves the Services bound to it.
import { z } from 'zod';
import {
  AuthorizationPolicy,
  MeshModel,
  RouteTable,
  Service,
  ServicePort,
  type Waypoint,
  type WaypointRef,
} from '../xds/model/model.ts';

const DOMAIN = 'cluster.local';

const ref = z.string().transform((s): WaypointRef => {
  const [namespace = '', name = ''] = s.split('/');
  return { namespace, name, hostname: `${name}.${namespace}.svc.${DOMAIN}`, port: 15008 };
});

const Port = ServicePort.extend({ targetPort: z.number().optional() }).transform((p) => ({
  ...p,
  targetPort: p.targetPort ?? p.port,
}));

export const CaseService = Service.extend({
  hostname: z.string().optional(),
  ports: z.array(Port),
  waypoint: ref.optional(),
}).transform(({ hostname, ...s }) => ({ ...s, hostname: hostname ?? `${s.name}.${s.namespace}.svc.${DOMAIN}` }));

/** What both kinds of case list: Services, routes and policies; the rest of the model takes its defaults. */
export const CaseMesh = {
  services: z.array(CaseService).default([]),
  routes: z.array(RouteTable).default([]),
  authorizationPolicies: z.array(AuthorizationPolicy).default([]),
};

export const WaypointCase = z
  .strictObject({
    description: z.string(),
    waypoint: ref,
    trustDomain: z.string().optional(),
    rootNamespace: z.string().optional(),
    ...CaseMesh,
  })
  .transform(({ description, waypoint: w, ...rest }) => {
    const waypoint: Waypoint = {
      name: w.name,
      namespace: w.namespace,
      hostname: w.hostname,
      serviceAccount: w.name,
      services: rest.services
        .filter((s) => s.waypoint?.namespace === w.namespace && s.waypoint.name === w.name)
        .map((s) => s.hostname),
      workloads: [],
    };
    return { description, waypoint, model: MeshModel.parse({ ...rest, waypoints: [waypoint] }) };
  });
