// The mesh root as the `istio-ca-root-cert` ConfigMap in every namespace this control plane discovers, where
// proxies and ztunnel mount it to verify the control plane and each other. Written only when its content differs.
// When two meshes with different roots discover the same namespace (overlapping discoverySelectors), the first
// writer keeps it: overwriting would make the control planes take turns for ever. Woken by namespaces and by any
// change to the ConfigMap (restored when someone edits or deletes it).
import type { Logger } from 'winston';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { self } from '../../../src/kube/watches.ts';
import type { ControlPlaneContext, ControlPlaneController } from '../common/context.ts';
import { namespaceInScope } from '../common/scope.ts';

export const rootCertConfigMap = 'istio-ca-root-cert';
export const rootCertKey = 'root-cert.pem';
/** Which control plane's CA (its namespace) published the root: the CA is per namespace, shared by revisions. */
export const publisherAnnotation = 'ambit.io/ca-namespace';
const fieldManager = 'istio.io/namespace-controller';

/** The ConfigMap as it should be in `namespace`. Pure. */
export function rootCertObject(namespace: string, root: string, publisher: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: rootCertConfigMap,
      namespace,
      labels: { 'istio.io/config': 'true' },
      annotations: { [publisherAnnotation]: publisher },
    },
    data: { [rootCertKey]: root },
  };
}

export type RootCertAction = 'none' | 'write' | 'foreign';

/** What to do given the existing ConfigMap. Pure. */
export function rootCertAction(existing: KubeObject | undefined, root: string, publisher: string): RootCertAction {
  if (!existing) return 'write';
  const data = (existing['data'] ?? {}) as Record<string, string>;
  const by = existing.metadata.annotations?.[publisherAnnotation];
  // The same root is as good as ours whoever marked it: rewriting only the mark would start a tug of war.
  if (data[rootCertKey] === root) return 'none';
  if (by !== undefined && by !== publisher) return 'foreign';
  return 'write';
}

async function reconcileRootCert(ctx: ControlPlaneContext, key: string, log: Logger): Promise<ReconcileResult> {
  const ns = ctx.caches.namespaces.get(key);
  if (!ns || ns.metadata.deletionTimestamp || !namespaceInScope(ns, ctx.mesh().discoverySelectors)) return {};
  const root = ctx.root();
  const existing = ctx.caches.configMaps.get(rootCertConfigMap, key);
  const action = rootCertAction(existing, root, ctx.settings.namespace);
  if (action === 'foreign') {
    log.warn('another mesh published a different root here; leaving it (make the discoverySelectors disjoint)', {
      key,
      publisher: existing?.metadata.annotations?.[publisherAnnotation],
    });
    return {};
  }
  if (action === 'write') {
    await ctx.client.apply(rootCertObject(key, root, ctx.settings.namespace), fieldManager, true);
    log.info('published the mesh root', { key });
  }
  return {};
}

export const rootCertController: ControlPlaneController = {
  name: 'rootcert',
  reconcile: reconcileRootCert,
  watches: ({ caches }) => [
    self(caches.namespaces),
    {
      informer: caches.configMaps,
      keys: (cm) => (cm.metadata.name === rootCertConfigMap && cm.metadata.namespace ? [cm.metadata.namespace] : []),
    },
  ],
};
