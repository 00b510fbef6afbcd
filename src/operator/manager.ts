// The operator process: caches, the five controllers and what wakes each of them, leader election, probes and
// metrics, and an orderly stop on SIGTERM.
import type { Logger } from 'winston';
import type { ApiClient } from '../kube/api-client.ts';
import { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import { EventRecorder } from '../kube/events.ts';
import { startHealthServer, type HealthServer } from '../kube/health-server.ts';
import type { InformerHandler } from '../kube/informer.ts';
import { LeaderElector } from '../kube/leader-election.ts';
import { objectKey, type KubeObject } from '../kube/objects.ts';
import { reconcileIstio } from '../../controllers/operator/istio/istio-controller.ts';
import { reconcileIstioCni } from '../../controllers/operator/istiocni/istiocni-controller.ts';
import { reconcileIstioRevision } from '../../controllers/operator/istiorevision/istiorevision-controller.ts';
import { reconcileIstioRevisionTag } from '../../controllers/operator/istiorevisiontag/istiorevisiontag-controller.ts';
import { reconcileZTunnel } from '../../controllers/operator/ztunnel/ztunnel-controller.ts';
import { Caches, ownedResourcesFor } from '../../controllers/operator/common/caches.ts';
import type { OperatorContext, OperatorSettings } from '../../controllers/operator/common/context.ts';

export interface ManagerOptions {
  settings: OperatorSettings;
  probeAddress: { host: string; port: number };
  metricsAddress?: { host: string; port: number };
  leaderElection?: { namespace: string; identity: string };
  workers: number;
}

type Controllers = Record<'istio' | 'istiorevision' | 'istiorevisiontag' | 'istiocni' | 'ztunnel', Controller>;

const onAny = (fn: (o: KubeObject) => void): InformerHandler<KubeObject> => ({
  add: fn,
  update: (_old, o) => fn(o),
  delete: fn,
});
const specNamespace = (o: KubeObject) => (o['spec'] as { namespace?: string } | undefined)?.namespace;

/** Whether `referrer`'s spec.targetRef names `o`, or names the Istio that owns the revision `o`. */
function targets(referrer: KubeObject, o: KubeObject): boolean {
  const ref = (referrer['spec'] as { targetRef?: { kind: string; name: string } } | undefined)?.targetRef;
  if (!ref) return false;
  if (ref.kind === o.kind && ref.name === o.metadata.name) return true;
  return (
    ref.kind === 'Istio' &&
    (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'Istio' && r.name === ref.name)
  );
}

/** Which controller's key every cache event wakes. Everything here is cheap: it only enqueues keys. */
function wire(caches: Caches, c: Controllers): void {
  const enqueueAll = (controller: Controller, list: KubeObject[]) => {
    for (const o of list) controller.enqueue(objectKey(o));
  };
  // A ZTunnel or tag follows its target: found from its spec, not from a possibly stale status (sail-operator #2089).
  const referrers = (o: KubeObject) => {
    const zt = caches.ztunnels.get('default');
    if (zt && targets(zt, o)) c.ztunnel.enqueue('default');
    for (const t of caches.tags.list())
      if (targets(t, o) || t.metadata.name === o.metadata.name) c.istiorevisiontag.enqueue(objectKey(t));
  };
  caches.istios.on(
    onAny((o) => {
      c.istio.enqueue(objectKey(o));
      referrers(o);
    }),
  );
  caches.revisions.on(
    onAny((o) => {
      c.istiorevision.enqueue(objectKey(o));
      for (const ref of o.metadata.ownerReferences ?? [])
        if (ref.controller && ref.kind === 'Istio') c.istio.enqueue(ref.name);
      referrers(o);
    }),
  );
  caches.cnis.on(
    onAny((o) => {
      c.istiocni.enqueue(objectKey(o));
      enqueueAll(c.istiorevision, caches.revisions.list());
    }),
  );
  // Revisions follow the ZTunnel's health; Istios only its namespace (the trusted ztunnel namespace).
  const ztunnelChanged = (o: KubeObject, namespaceChanged: boolean) => {
    c.ztunnel.enqueue(objectKey(o));
    enqueueAll(c.istiorevision, caches.revisions.list());
    if (namespaceChanged) enqueueAll(c.istio, caches.istios.list());
  };
  caches.ztunnels.on({
    add: (o) => ztunnelChanged(o, true),
    update: (old, o) => ztunnelChanged(o, specNamespace(old) !== specNamespace(o)),
    delete: (o) => ztunnelChanged(o, true),
  });
  caches.tags.on(
    onAny((t) => {
      c.istiorevisiontag.enqueue(objectKey(t));
      enqueueAll(c.istiorevision, caches.revisions.list());
    }),
  );
  // A namespace appearing, going or being relabelled: the components installed into it, and every revision (in-use
  // and discoverySelectors depend on namespace labels).
  caches.namespaces.on(
    onAny((ns) => {
      const name = ns.metadata.name;
      enqueueAll(
        c.istiocni,
        caches.cnis.list((o) => specNamespace(o) === name),
      );
      enqueueAll(
        c.ztunnel,
        caches.ztunnels.list((o) => specNamespace(o) === name),
      );
      enqueueAll(c.istiorevision, caches.revisions.list());
      enqueueAll(c.istiorevisiontag, caches.tags.list());
    }),
  );
  const byOwnerKind: Record<string, Controller> = {
    IstioRevision: c.istiorevision,
    IstioCNI: c.istiocni,
    ZTunnel: c.ztunnel,
  };
  for (const cache of caches.owned.values()) {
    cache.on(
      onAny((o) => {
        for (const ref of o.metadata.ownerReferences ?? []) {
          if (ref.controller) byOwnerKind[ref.kind]?.enqueue(ref.name);
        }
      }),
    );
  }
}

export class OperatorManager {
  private readonly caches: Caches;
  private readonly controllers: Controllers;
  private readonly elector: LeaderElector | undefined;
  private readonly servers: HealthServer[] = [];
  private readonly log: Logger;
  private readonly opts: ManagerOptions;

  constructor(api: ApiClient, opts: ManagerOptions, log: Logger) {
    this.opts = opts;
    this.log = log;
    const client = new KubeClient(api);
    this.caches = new Caches(api, opts.settings.managedBy, log, ownedResourcesFor(opts.settings.platform));
    const ctx: OperatorContext = {
      client,
      caches: this.caches,
      events: new EventRecorder(client, 'ambit.io/operator', opts.leaderElection?.identity ?? 'ambit-operator', log),
      settings: opts.settings,
      now: () => new Date(),
    };
    const controller = (name: string, fn: (ctx: OperatorContext, key: string, log: Logger) => Promise<object>) =>
      new Controller(name, (key, l) => fn(ctx, key, l), log, opts.workers);
    this.controllers = {
      istio: controller('istio', reconcileIstio),
      istiorevision: controller('istiorevision', reconcileIstioRevision),
      istiorevisiontag: controller('istiorevisiontag', reconcileIstioRevisionTag),
      istiocni: controller('istiocni', reconcileIstioCni),
      ztunnel: controller('ztunnel', reconcileZTunnel),
    };
    wire(this.caches, this.controllers);
    this.elector =
      opts.leaderElection && new LeaderElector(client, { ...opts.leaderElection, name: 'ambit-operator-lock' }, log);
  }

  /** Serves probes at once; reconciles once the caches are synced and (with leader election) this process leads. */
  async start(onFatal: (reason: string) => void): Promise<void> {
    const ready = () => this.caches.synced;
    this.servers.push(await startHealthServer(this.opts.probeAddress.host, this.opts.probeAddress.port, ready));
    if (this.opts.metricsAddress) {
      this.servers.push(await startHealthServer(this.opts.metricsAddress.host, this.opts.metricsAddress.port, ready));
    }
    this.caches.start();
    await this.caches.waitForSync();
    this.log.info('caches synced');
    if (this.elector) await this.elector.acquire(() => onFatal('lost leadership'));
    for (const c of Object.values(this.controllers)) c.start();
    this.log.info('controllers started', { controllers: Object.keys(this.controllers) });
  }

  get ports(): number[] {
    return this.servers.map((s) => s.port);
  }

  /** Finishes the reconciles in flight, releases the lease, closes the servers. */
  async stop(): Promise<void> {
    await Promise.all(Object.values(this.controllers).map((c) => c.stop()));
    this.caches.stop();
    await this.elector?.release();
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
