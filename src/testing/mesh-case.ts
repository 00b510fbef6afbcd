// Test fixtures: a MeshModel written as YAML, checked strictly (a misspelt field fails the test instead of being
// ignored) and with defaults for the fields most cases share. Only the tests import this.
import { z } from 'zod';
import type { MeshModel } from '../xds/model/model.ts';
import { PolicyRuleFixture } from './policy-rule-fixture.ts';

const WaypointRef = z.strictObject({
  namespace: z.string(),
  name: z.string(),
  hostname: z.string(),
  port: z.number().default(15008),
});

export const ServiceEntryFacts = z.strictObject({
  resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']).default('STATIC'),
  location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).default('MESH_EXTERNAL'),
  subjectAltNames: z.array(z.string()).default([]),
  canonical: z.boolean().default(true),
});

const Service = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  hostname: z.string(),
  vips: z.array(z.string()).default([]),
  ports: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        port: z.number(),
        targetPort: z.number(),
        protocol: z.enum(['http', 'http2', 'grpc', 'tcp', 'tls', 'unknown']).default('unknown'),
        appProtocol: z.string().optional(),
      }),
    )
    .default([]),
  waypoint: WaypointRef.optional(),
  endpoints: z
    .array(
      z.strictObject({
        workloadUid: z.string().optional(),
        address: z.string(),
        ports: z.record(z.string(), z.number()),
        ready: z.boolean().default(true),
        hbone: z.boolean().default(true),
        nodeName: z.string().optional(),
      }),
    )
    .default([]),
  creationTimestamp: z.string().default('2025-01-01T00:00:00Z'),
  serviceEntry: ServiceEntryFacts.optional(),
});

const Workload = z.strictObject({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  addresses: z.array(z.string()),
  serviceAccount: z.string().default('default'),
  node: z.string().default(''),
  network: z.string().default(''),
  tunnelProtocol: z.enum(['NONE', 'HBONE']).default('HBONE'),
  waypoint: WaypointRef.optional(),
  canonicalName: z.string().default(''),
  canonicalRevision: z.string().default(''),
  workloadName: z.string().default(''),
  workloadType: z.enum(['pod', 'deployment', 'job', 'cronjob']).default('deployment'),
  services: z.record(z.string(), z.record(z.string(), z.number())).default({}),
  healthy: z.boolean().default(true),
  clusterId: z.string().default('Kubernetes'),
  authorizationPolicies: z.array(z.string()).default([]),
});

const Waypoint = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  hostname: z.string(),
  serviceAccount: z.string(),
  services: z.array(z.string()).default([]),
  workloads: z.array(z.string()).default([]),
});

const AuthorizationPolicy = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  action: z.enum(['ALLOW', 'DENY', 'CUSTOM', 'AUDIT']).default('ALLOW'),
  targetRefs: z.array(z.strictObject({ group: z.string(), kind: z.string(), name: z.string() })).default([]),
  selector: z.record(z.string(), z.string()).optional(),
  rules: z.array(PolicyRuleFixture).default([]),
});

const Mesh = z.strictObject({
  clusterId: z.string().default('Kubernetes'),
  network: z.string().default(''),
  trustDomain: z.string().default('cluster.local'),
  clusterDomain: z.string().default('cluster.local'),
  rootNamespace: z.string().default('istio-system'),
  services: z.array(Service).default([]),
  workloads: z.array(Workload).default([]),
  waypoints: z.array(Waypoint).default([]),
  // WDS does not read routes.
  routes: z.array(z.never()).default([]),
  authorizationPolicies: z.array(AuthorizationPolicy).default([]),
});

/** A golden case: what it shows, and the model. */
export const MeshCase = z.strictObject({ description: z.string(), model: Mesh });

export function parseMeshModel(raw: unknown): MeshModel {
  return Mesh.parse(raw) satisfies MeshModel;
}
