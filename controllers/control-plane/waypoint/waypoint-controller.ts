// Gateway (class istio-waypoint, or any class of istio.io/mesh-controller) → the waypoint's ServiceAccount,
// Deployment and Service (and HPA/PDB when overlaid): observe the Gateway, its namespace and overlays; skip Gateways
// of other revisions or outside discoverySelectors; take part in istiod's controller-version handshake; render;
// apply what changed (never adopting an object that lacks our managed label); report the Gateway's status. Woken by
// its Gateway, class, namespace, configuration ConfigMaps, revision tags, its objects and its Service's endpoints.
import { createHash } from 'node:crypto';
import type { Logger } from 'winston';
import { isInvalid } from '../../../src/kube/api-client.ts';
import { appliedHashAnnotation, intentHash, liveKey } from '../../../src/kube/apply-plan.ts';
import { mergeConditions } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { objectKey, type KubeObject } from '../../../src/kube/objects.ts';
import { resourceOf } from '../../../src/kube/resources.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { everyOf, ownerKeys, owners, referrers, selfUnlessStatusOnly, type Watch } from '../../../src/kube/watches.ts';
import { settleAll, writeIntent } from '../../../src/kube/write-plan.ts';
import type { Condition } from '../../../src/api/kube-types.ts';
import type { Values } from '../../../src/api/values.ts';
import { imageReference } from '../../../src/render/images.ts';
import { parametersReference } from '../../../src/render/waypoint/parameters.ts';
import { renderWaypoint } from '../../../src/render/waypoint/render.ts';
import { managedLabel, meshControllerLabel, serviceNameLabel } from '../common/caches.ts';
import type { ControlPlaneContext, ControlPlaneController } from '../common/context.ts';
import { gatewayControllerName as fieldManager, meshController, waypointClass } from '../common/gateway-controller.ts';
import { isMine, namespaceInScope, requestedRevision } from '../common/scope.ts';
import { gatewayStatus, parametersProblem, refusedBefore, refusedSuffix, type Listener } from './gateway-status.ts';

/** istiod's deployment-controller version; a Gateway claimed by a newer controller is left alone. */
export const controllerVersion = 5;
const versionAnnotation = 'gateway.istio.io/controller-version';
const defaultsForClass = 'gateway.istio.io/defaults-for-class';

/** The controller a Gateway's class names: from the GatewayClass object, else the built-in istio-waypoint. */
function controllerOf(ctx: ControlPlaneContext, className: string): string | undefined {
  const cls = ctx.caches.gatewayClasses.get(className);
  if (cls) return (cls['spec'] as { controllerName?: string }).controllerName;
  return className === waypointClass ? meshController : undefined;
}

/** The revision names this control plane answers to: its own and those of the tags pointing at it. */
function myNames(ctx: ControlPlaneContext): Set<string> {
  const names = new Set([ctx.settings.revision]);
  for (const tag of ctx.caches.tags.list()) {
    if ((tag['status'] as { istioRevision?: string } | undefined)?.istioRevision === ctx.settings.revision)
      names.add(tag.metadata.name);
  }
  return names;
}

async function reconcileWaypoint(ctx: ControlPlaneContext, key: string, log: Logger): Promise<ReconcileResult> {
  // Observe. A deleted Gateway needs nothing: its objects are garbage collected through their owner reference.
  const [namespace = '', name = ''] = key.split('/');
  const gw = ctx.caches.gateways.get(name, namespace);
  if (!gw) return {};
  const spec = gw['spec'] as { gatewayClassName: string; listeners?: Listener[] };
  if (controllerOf(ctx, spec.gatewayClassName) !== meshController) return {};
  const ns = ctx.caches.namespaces.get(namespace);
  if (!namespaceInScope(ns, ctx.mesh().discoverySelectors)) return {};
  if (!isMine(requestedRevision(gw, ns), myNames(ctx))) return {};
  const claimed = gw.metadata.annotations?.[versionAnnotation];
  const claimedVersion = claimed === undefined ? 0 : Number(claimed);
  if (!Number.isInteger(claimedVersion) || claimedVersion > controllerVersion) {
    log.debug('Gateway is managed by a newer controller', { version: claimed });
    return {};
  }

  // Compute.
  let objects: KubeObject[] = [];
  let error: string | undefined;
  try {
    const values = ctx.values();
    objects = renderWaypoint({
      gateway: gw,
      controllerLabel: meshControllerLabel,
      revision: ctx.settings.revision,
      istioNamespace: ctx.settings.namespace,
      values,
      trustDomain: ctx.mesh().trustDomain,
      clusterDomain: ctx.clusterDomain(),
      proxyImage: proxyImage(values),
      existingDeployment: ctx.caches.owned.get('Deployment')?.get(deploymentName(gw), namespace),
      classDefaults: classDefaults(ctx, spec.gatewayClassName),
      parameters: parameters(ctx, gw),
    });
  } catch (err) {
    error = (err as Error).message;
  }

  // Apply: our claim on the Gateway, as istiod makes it (an apply of that one annotation, taking nothing else),
  // beside the waypoint's objects.
  const claim =
    claimedVersion < controllerVersion
      ? ctx.client.apply(
          {
            apiVersion: gw.apiVersion,
            kind: gw.kind,
            metadata: { name, namespace, annotations: { [versionAnnotation]: String(controllerVersion) } },
          },
          `${fieldManager}-version`,
          true,
        )
      : Promise.resolve();
  let retry: Error | undefined;
  // A configuration the API server refused (its fingerprint in the Gateway's status, which survives a restart) is
  // not sent again until an input changes it: the same writes would only be refused again.
  const fingerprint = configurationFingerprint(ctx, objects);
  const refused = error ? undefined : refusedBefore(conditionsOf(gw), gw.metadata.generation ?? 0, fingerprint);
  if (refused !== undefined) {
    error = refused;
    await claim;
  } else if (!error) {
    try {
      // Both settle before anything is reported, in a fixed order: the same failures read the same every time.
      await settleAll([applyOwned(ctx, gw, objects, log), claim]);
    } catch (err) {
      // Objects the API server refuses stay refused until their input changes, and every input wakes the Gateway
      // again: retrying would only repeat the failing writes. Anything else is retried with backoff.
      const invalid = isInvalid(err);
      if (!invalid) retry = err as Error;
      error = `failed to apply the waypoint: ${(err as Error).message}${invalid ? refusedSuffix(fingerprint) : ''}`;
    }
  } else {
    await claim;
  }

  // Report.
  await report(ctx, gw, spec.listeners ?? [], error);
  if (retry) throw retry;
  if (error && refused === undefined) await ctx.events.record(gw, 'Warning', 'InvalidWaypoint', 'Reconcile', error);
  return {};
}

/**
 * What a write of the rendered objects depends on: their intents, and the versions of live objects that differ from
 * them (a refusal can be about those, e.g. an immutable field, and deleting or editing one makes it worth a retry).
 * Objects created or already in place add nothing, so the fingerprint holds while the rest of a write succeeds.
 */
function configurationFingerprint(ctx: ControlPlaneContext, objects: KubeObject[]): string {
  const parts = objects.map((o) => {
    const intent = intentHash(o);
    const live = ctx.caches.owned.get(o.kind)?.get(o.metadata.name, o.metadata.namespace);
    const differs = live && live.metadata.annotations?.[appliedHashAnnotation] !== intent;
    return `${o.kind}/${o.metadata.name}:${intent}${differs ? `@${live.metadata.resourceVersion ?? ''}` : ''}`;
  });
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

const conditionsOf = (gw: KubeObject) => (gw['status'] as { conditions?: Condition[] } | undefined)?.conditions;

function deploymentName(gw: KubeObject): string {
  return gw.metadata.annotations?.['gateway.istio.io/name-override'] ?? gw.metadata.name;
}

function proxyImage(values: Values): string {
  const g = values.global ?? {};
  return imageReference({ hub: g.hub ?? 'docker.io/istio', image: 'proxyv2', tag: g.tag ?? '', variant: g.variant });
}

/** The oldest ConfigMap in our namespace labelled as defaults for the class. */
function classDefaults(ctx: ControlPlaneContext, className: string): Record<string, string> | undefined {
  const maps = ctx.caches.configMaps
    .list((c) => c.metadata.namespace === ctx.settings.namespace && c.metadata.labels?.[defaultsForClass] === className)
    .sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
  return maps[0]?.['data'] as Record<string, string> | undefined;
}

/** The parametersRef ConfigMap's data; undefined when it is missing, which the renderer reports in istiod's words. */
function parameters(ctx: ControlPlaneContext, gw: KubeObject): Record<string, string> | undefined {
  const ref = parametersReference(gw);
  if (!ref) return undefined;
  const cm = ctx.caches.configMaps.get(ref.name, ref.namespace);
  return cm ? ((cm['data'] ?? {}) as Record<string, string>) : undefined;
}

/** Applies the waypoint objects that changed; an existing object without our managed label is never taken over. */
async function applyOwned(
  ctx: ControlPlaneContext,
  gw: KubeObject,
  rendered: KubeObject[],
  log: Logger,
): Promise<void> {
  const live = new Map<string, KubeObject>();
  const ours: KubeObject[] = [];
  const found = await Promise.all(
    rendered.map(async (obj) => {
      const cached = ctx.caches.owned.get(obj.kind)?.get(obj.metadata.name, obj.metadata.namespace);
      if (cached) return { obj, existing: cached, mine: true };
      // Not in our cache: either absent, or someone else's object of that name.
      const known = ctx.caches.existing(obj.kind, obj.metadata.name, obj.metadata.namespace);
      const existing =
        known === undefined
          ? await ctx.client.get(resourceOf(obj), obj.metadata.name, obj.metadata.namespace)
          : (known ?? undefined);
      return { obj, existing, mine: existing === undefined || existing.metadata.labels?.[managedLabel] !== undefined };
    }),
  );
  for (const { obj, existing, mine } of found) {
    if (!mine) {
      log.warn('not taking over an object the waypoint controller did not create', {
        object: `${obj.kind}/${obj.metadata.name}`,
      });
      continue;
    }
    if (existing) live.set(liveKey(obj), existing);
    ours.push(obj);
  }
  const owned = [...ctx.caches.owned.values()].flatMap((c) =>
    c.list((o) => o.metadata.ownerReferences?.some((r) => r.kind === 'Gateway' && r.uid === gw.metadata.uid) ?? false),
  );
  await writeIntent(ctx.client, { rendered: ours, live, owned }, fieldManager, log, { concurrent: true });
}

async function report(
  ctx: ControlPlaneContext,
  gw: KubeObject,
  listeners: Listener[],
  error: string | undefined,
): Promise<void> {
  const namespace = gw.metadata.namespace ?? '';
  const name = deploymentName(gw);
  const svc = ctx.caches.owned.get('Service')?.get(name, namespace);
  const previous = gw['status'] as
    | {
        conditions?: Condition[];
        addresses?: { type: string; value: string }[];
        listeners?: { name: string; conditions?: Condition[] }[];
      }
    | undefined;
  const invalidParameters = parametersProblem(gw, (ns, n) => ctx.caches.configMaps.get(n, ns) !== undefined);
  const ips = (svc?.['spec'] as { clusterIPs?: string[]; clusterIP?: string } | undefined)?.clusterIPs;
  const view = gatewayStatus({
    generation: gw.metadata.generation ?? 0,
    listeners,
    serviceHost: `${name}.${namespace}.svc.${ctx.clusterDomain()}`,
    serviceIps: svc ? (ips ?? []) : undefined,
    podReady: listeners.some((l) => ctx.caches.hasReadyEndpoint(name, namespace, l.port)),
    previousAddresses: previous?.addresses,
    ...(error === undefined ? {} : { error }),
    ...(invalidParameters === undefined ? {} : { invalidParameters }),
  });
  const generation = gw.metadata.generation ?? 0;
  const now = ctx.now();
  const status = {
    conditions: mergeConditions(previous?.conditions, view.conditions, generation, now),
    listeners: view.listeners.map((l) => ({
      ...l,
      conditions: mergeConditions(
        previous?.listeners?.find((p) => p.name === l.name)?.conditions,
        l.conditions,
        generation,
        now,
      ),
    })),
    ...(view.addresses ? { addresses: view.addresses } : {}),
  };
  await applyStatusIfChanged(ctx.client, gw, status, fieldManager);
}

const gatewayOwner = { namespaced: true, anyReference: true };
const className = (g: KubeObject) => (g['spec'] as { gatewayClassName?: string }).gatewayClassName;

/** The name in spec.infrastructure.parametersRef, valid or not (an invalid one is reported when it reconciles). */
const parametersName = (g: KubeObject) =>
  (g['spec'] as { infrastructure?: { parametersRef?: { name?: string } } }).infrastructure?.parametersRef?.name;

/** A ConfigMap's Gateways: all for our mesh config or values, a class's for its defaults, else those it overlays. */
function configMapWatch(ctx: ControlPlaneContext): Watch {
  const { caches, settings } = ctx;
  const gateways = (pred: (g: KubeObject) => boolean) => caches.gateways.list(pred).map(objectKey);
  return {
    informer: caches.configMaps,
    keys: (cm) => {
      const ns = cm.metadata.namespace;
      const ours = ns === settings.namespace;
      if (ours && [settings.meshConfigMap, settings.valuesConfigMap].includes(cm.metadata.name))
        return gateways(() => true);
      const forClass = cm.metadata.labels?.[defaultsForClass];
      if (ours && forClass) return gateways((g) => className(g) === forClass);
      return gateways((g) => g.metadata.namespace === ns && parametersName(g) === cm.metadata.name);
    },
  };
}

export const waypointController: ControlPlaneController = {
  name: 'waypoint',
  // Reconciles are mostly API round trips: a few workers keep a burst of Gateways from queueing behind each other.
  workers: 4,
  reconcile: reconcileWaypoint,
  watches: (ctx) => {
    const { caches } = ctx;
    return [
      selfUnlessStatusOnly(caches.gateways),
      referrers(caches.gatewayClasses, caches.gateways, (g, cls) => className(g) === cls.metadata.name),
      referrers(caches.namespaces, caches.gateways, (g, ns) => g.metadata.namespace === ns.metadata.name),
      // A tag can make a Gateway ours or someone else's.
      everyOf(caches.tags, caches.gateways),
      configMapWatch(ctx),
      // A waypoint's address becomes usable when its Service has a ready endpoint.
      {
        informer: caches.endpointSlices,
        keys: (slice) => {
          const svc = caches.owned
            .get('Service')
            ?.get(slice.metadata.labels?.[serviceNameLabel] ?? '', slice.metadata.namespace);
          return svc ? ownerKeys(svc, 'Gateway', gatewayOwner) : [];
        },
      },
      ...owners(caches.owned.values(), 'Gateway', gatewayOwner),
    ];
  },
};
