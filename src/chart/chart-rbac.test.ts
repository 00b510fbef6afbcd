// The chart's RBAC, on paper: no wildcard, no escalate or bind, and enough for what the operator does (its caches,
// applies, status and Lease) and for every role it renders, which the API server lets it create only with rights it
// holds. The e2e test (e2e/chart.e2e.ts) proves the same against a real API server.
import { describe, expect, test } from '@jest/globals';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../kube/objects.ts';
import { resources } from '../kube/resources.ts';
import { versions } from '../api/versions.ts';
import { ownedResourcesFor } from '../../controllers/operator/common/caches.ts';
import { renderCni } from '../render/cni.ts';
import { controlPlaneClusterRules, controlPlaneNamespaceRules } from '../render/control-plane-rbac.ts';
import type { PolicyRule } from '../render/rbac.ts';
import { computeCniValues, computeZTunnelValues } from '../render/values/compute.ts';
import { renderZTunnel } from '../render/ztunnel.ts';
import { renderChart } from './chart-files.ts';
import { uncovered, wildcards } from './rbac-covers.ts';

const chart = (loadAll(await renderChart()) as (KubeObject | null)[]).filter((o) => o !== null);
const rulesOf = (kind: string) => chart.filter((o) => o.kind === kind).flatMap((o) => o['rules'] as PolicyRule[]);
const clusterRules = rulesOf('ClusterRole');
const roleRules = rulesOf('Role');

const version = versions.resolve(versions.defaultVersion)!;
const owner = (kind: string) => ({
  apiVersion: 'sailoperator.io/v1',
  kind,
  name: 'default',
  uid: 'u',
  controller: true,
});
const rolesIn = (objects: KubeObject[]) =>
  objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o['rules'] as PolicyRule[]);

/** The CNI's roles in every repair mode, ambient on, on both platforms: the union of what it can be granted. */
function cniRules(): PolicyRule[] {
  const modes = [{ repairPods: true }, { repairPods: false, deletePods: true }, { repairPods: false, labelPods: true }];
  return (['kubernetes', 'openshift'] as const).flatMap((platform) =>
    modes.flatMap((mode) =>
      rolesIn(
        renderCni({
          owner: owner('IstioCNI'),
          managedBy: 'ambit-operator',
          version,
          namespace: 'istio-cni',
          values: computeCniValues({
            profile: 'ambient',
            platform,
            userValues: { cni: { repair: { enabled: true, ...mode } } },
          }),
        }),
      ),
    ),
  );
}

function ztunnelRules(): PolicyRule[] {
  return (['kubernetes', 'openshift'] as const).flatMap((platform) =>
    rolesIn(
      renderZTunnel({
        owner: owner('ZTunnel'),
        managedBy: 'ambit-operator',
        version,
        namespace: 'ztunnel',
        values: computeZTunnelValues({ platform }),
      }),
    ),
  );
}

const rule = (group: string, plurals: string[], verbs: string[]): PolicyRule => ({
  apiGroups: [group],
  resources: plurals,
  verbs,
});

describe('the chart RBAC', () => {
  test('has a ClusterRole and a leader-election Role', () => {
    expect(clusterRules.length).toBeGreaterThan(0);
    expect(roleRules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: expect.any(Array) },
    ]);
  });

  test('no rule uses `*`, escalate, bind or impersonate', () => {
    const all = [...clusterRules, ...roleRules];
    expect(all.flatMap(wildcards)).toEqual([]);
    expect(all.flatMap((r) => r.verbs).filter((v) => ['escalate', 'bind', 'impersonate'].includes(v))).toEqual([]);
  });

  test('covers every rule of the roles the operator renders for istiod, istio-cni and ztunnel', () => {
    expect(uncovered(controlPlaneClusterRules, clusterRules)).toEqual([]);
    expect(uncovered(controlPlaneNamespaceRules, clusterRules)).toEqual([]);
    const cni = cniRules();
    expect(cni.some((r) => r.verbs.includes('delete'))).toBe(true);
    expect(cni.some((r) => r.apiGroups.includes('security.openshift.io'))).toBe(true);
    expect(uncovered(cni, clusterRules)).toEqual([]);
    const zt = ztunnelRules();
    expect(zt.length).toBeGreaterThan(0);
    expect(uncovered(zt, clusterRules)).toEqual([]);
  });

  test("covers the operator's own reads and writes", () => {
    const sail = [resources.istio, resources.istioRevision, resources.istioRevisionTag, resources.istioCni];
    const crs = [...sail, resources.zTunnel].map((r) => r.plural);
    const needs: PolicyRule[] = [
      // Caches, finalizers, status.
      rule('sailoperator.io', crs, ['list', 'watch', 'patch']),
      rule(
        'sailoperator.io',
        crs.map((p) => `${p}/status`),
        ['patch'],
      ),
      // The Istio controller applies and prunes revisions.
      rule('sailoperator.io', ['istiorevisions'], ['create', 'patch', 'delete']),
      rule('', ['namespaces'], ['list', 'watch']),
      // Every kind it renders: cached, server-side applied (create when new), pruned and deleted.
      ...ownedResourcesFor('openshift').map((r) =>
        rule(r.group, [r.plural], ['list', 'watch', 'create', 'patch', 'delete']),
      ),
      rule('events.k8s.io', ['events'], ['get', 'create', 'patch']),
    ];
    expect(uncovered(needs, clusterRules)).toEqual([]);
    expect(uncovered([rule('coordination.k8s.io', ['leases'], ['get', 'create', 'update'])], roleRules)).toEqual([]);
  });
});
