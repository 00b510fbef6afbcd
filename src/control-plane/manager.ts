// The control plane process: caches, the GatewayClass and waypoint controllers and what wakes them, probes and
// metrics on one HTTP port, and an orderly stop.
import type { Logger } from 'winston';
import type { ApiClient } from '../kube/api-client.ts';
import { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import { EventRecorder } from '../kube/events.ts';
import { startHealthServer, type HealthServer } from '../kube/health-server.ts';
import type { InformerHandler } from '../kube/informer.ts';
import { objectKey, type KubeObject } from '../kube/objects.ts';
import type { Values } from '../api/values.ts';
import { ControlPlaneCaches, serviceNameLabel } from './caches.ts';
import { reconcileGatewayClass, waypointClass } from './gatewayclass-controller.ts';
import { clusterDomainOf, parseMesh, parseValues, type MeshSettings } from './mesh-config.ts';
import { ambientDebug } from './debug-ambient.ts';
import { reconcileServiceStatus } from './service-status-controller.ts';
import { reconcileWaypoint, type WaypointContext } from './waypoint-controller.ts';
import { ControlPlaneXds, type XdsOptions } from './xds.ts';
import { configDump } from './debug-xds.ts';
import { cachedIndex, policyKey, reconcileConfigStatus, routeKey } from './config-status-controller.ts';
import { startMeshCa, type MeshCa } from './ca/mesh-ca.ts';
import { reconcileRootCert, rootCertConfigMap } from './ca/root-cert-publisher.ts';

export interface ControlPlaneOptions {
  namespace: string;
  revision: string;
  meshConfigMap: string;
  valuesConfigMap: string;
  http: { host: string; port: number };
  identity: string;
  /** Where to serve xDS; none: the waypoint controller only. */
  xds?: XdsOptions;
}

const onAny = (fn: (o: KubeObject) => void): InformerHandler<KubeObject> => ({
  add: fn,
  update: (_old, o) => fn(o),
  delete: fn,
});

export class ControlPlaneManager {
  private readonly caches: ControlPlaneCaches;
  private readonly waypoints: Controller;
  private readonly classes: Controller;
  private readonly serviceStatus: Controller;
  private readonly configStatus: Controller;
  private readonly rootCerts: Controller;
  private ca: MeshCa | undefined;
  /** Caches synced, the CA loaded and xDS bound: what /readyz reports. */
  private serving = false;
  private readonly api: ApiClient;
  private readonly client: KubeClient;
  private readonly mesh: () => MeshSettings;
  private readonly clusterDomain: () => string;
  private server: HealthServer | undefined;
  private readonly xds: ControlPlaneXds | undefined;
  private readonly opts: ControlPlaneOptions;
  private readonly log: Logger;

  constructor(api: ApiClient, opts: ControlPlaneOptions, log: Logger) {
    this.opts = opts;
    this.log = log;
    this.api = api;
    const client = new KubeClient(api);
    this.client = client;
    this.caches = new ControlPlaneCaches(api, log);
    const data = (name: string) =>
      this.caches.configMaps.get(name, opts.namespace)?.['data'] as Record<string, string> | undefined;
    const cached = <T>(name: string, parse: (d: Record<string, string> | undefined) => T) => {
      let last: { rv: string | undefined; value: T } | undefined;
      return () => {
        const rv = this.caches.configMaps.get(name, opts.namespace)?.metadata.resourceVersion;
        if (!last || last.rv !== rv) last = { rv, value: parse(data(name)) };
        return last.value;
      };
    };
    const ctx: WaypointContext = {
      client,
      caches: this.caches,
      events: new EventRecorder(client, 'istio.io/gateway-controller', opts.identity, log),
      namespace: opts.namespace,
      revision: opts.revision,
      mesh: cached<MeshSettings>(opts.meshConfigMap, (d) => parseMesh(d, opts.namespace)),
      values: cached<Values>(opts.valuesConfigMap, parseValues),
      // Unreadable values are reported on the Gateways they break; the model keeps the default domain meanwhile.
      clusterDomain: cached<string>(opts.valuesConfigMap, (d) => {
        try {
          return clusterDomainOf(parseValues(d));
        } catch {
          return clusterDomainOf({});
        }
      }),
      now: () => new Date(),
    };
    // Reconciles are mostly API round trips: a few workers keep a burst of Gateways from queueing behind each other.
    this.waypoints = new Controller('waypoint', (key, l) => reconcileWaypoint(ctx, key, l), log, 4);
    this.mesh = ctx.mesh;
    this.clusterDomain = ctx.clusterDomain;
    this.serviceStatus = new Controller(
      'waypointbound',
      (key, l) => reconcileServiceStatus(client, this.caches, ctx.mesh, key, l, ctx.now),
      log,
    );
    const configCtx = {
      client,
      caches: this.caches,
      mesh: ctx.mesh,
      now: ctx.now,
      index: cachedIndex(this.caches, ctx.clusterDomain),
    };
    this.configStatus = new Controller('configstatus', (key, l) => reconcileConfigStatus(configCtx, key, l), log);
    this.classes = new Controller(
      'gatewayclass',
      (key, l) => reconcileGatewayClass(client, this.caches, key, l, ctx.now),
      log,
    );
    this.rootCerts = new Controller(
      'rootcert',
      (key, l) =>
        reconcileRootCert(
          {
            client,
            caches: this.caches,
            mesh: ctx.mesh,
            namespace: opts.namespace,
            root: () => this.ca?.authority.rootPem ?? '',
          },
          key,
          l,
        ),
      log,
    );
    if (opts.xds) this.xds = new ControlPlaneXds(this.caches, ctx.mesh, ctx.clusterDomain, opts.xds, log);
    this.wire();
  }

  private wire(): void {
    const c = this.caches;
    const all = () => {
      for (const g of c.gateways.list()) this.waypoints.enqueue(objectKey(g));
    };
    const where = (pred: (g: KubeObject) => boolean) => {
      for (const g of c.gateways.list(pred)) this.waypoints.enqueue(objectKey(g));
    };
    const className = (g: KubeObject) => (g['spec'] as { gatewayClassName?: string }).gatewayClassName;
    // The Services whose binding a Gateway can change: those naming it, and those in namespaces naming it.
    const servicesFor = (gw: KubeObject) => {
      const named = (o: KubeObject | undefined) => o?.metadata.labels?.['istio.io/use-waypoint'] === gw.metadata.name;
      for (const svc of c.services.list((s) => named(s) || named(c.namespaces.get(s.metadata.namespace ?? '')))) {
        this.serviceStatus.enqueue(objectKey(svc));
      }
    };
    c.services.on(onAny((svc) => this.serviceStatus.enqueue(objectKey(svc))));
    // Route and policy status depends on Services, namespaces, Gateways and grants: any of them re-checks all.
    const allConfig = () => {
      for (const r of c.httpRoutes.list()) this.configStatus.enqueue(routeKey(r));
      for (const p of c.authorizationPolicies.list()) this.configStatus.enqueue(policyKey(p));
    };
    c.httpRoutes.on(onAny((r) => this.configStatus.enqueue(routeKey(r))));
    c.authorizationPolicies.on(onAny((p) => this.configStatus.enqueue(policyKey(p))));
    for (const i of [c.namespaces, c.gateways, c.gatewayClasses, c.referenceGrants, c.serviceEntries])
      i.on(onAny(allConfig));
    // Of a Service only its spec and labels matter: its status (our own WaypointBound writes) and resyncs do not.
    const serviceInputs = (svc: KubeObject) => JSON.stringify([svc.metadata.labels, svc['spec']]);
    c.services.on({
      add: allConfig,
      delete: allConfig,
      update: (before, after) => {
        if (serviceInputs(before) !== serviceInputs(after)) allConfig();
      },
    });
    // Bindings depend on waypoints becoming ready and on namespace labels.
    c.gateways.on(
      onAny((g) => {
        this.waypoints.enqueue(objectKey(g));
        servicesFor(g);
      }),
    );
    c.gatewayClasses.on(
      onAny((cls) => {
        this.classes.enqueue(cls.metadata.name);
        where((g) => className(g) === cls.metadata.name);
      }),
    );
    c.namespaces.on(
      onAny((ns) => {
        where((g) => g.metadata.namespace === ns.metadata.name);
        for (const svc of c.services.list((x) => x.metadata.namespace === ns.metadata.name))
          this.serviceStatus.enqueue(objectKey(svc));
      }),
    );
    c.tags.on(onAny(all));
    // The root certificate in every discovered namespace, restored when someone edits or deletes it.
    c.namespaces.on(onAny((ns) => this.rootCerts.enqueue(ns.metadata.name)));
    c.configMaps.on(
      onAny((cm) => {
        if (cm.metadata.name === rootCertConfigMap && cm.metadata.namespace)
          this.rootCerts.enqueue(cm.metadata.namespace);
      }),
    );
    c.configMaps.on(
      onAny((cm) => {
        const ns = cm.metadata.namespace;
        if (
          ns === this.opts.namespace &&
          [this.opts.meshConfigMap, this.opts.valuesConfigMap].includes(cm.metadata.name)
        )
          return all();
        const forClass = cm.metadata.labels?.['gateway.istio.io/defaults-for-class'];
        if (ns === this.opts.namespace && forClass) return where((g) => className(g) === forClass);
        where((g) => {
          const ref = (g['spec'] as { infrastructure?: { parametersRef?: { name?: string } } }).infrastructure
            ?.parametersRef;
          return g.metadata.namespace === ns && ref?.name === cm.metadata.name;
        });
      }),
    );
    // A waypoint's address becomes usable when its Service has a ready endpoint.
    c.endpointSlices.on(
      onAny((slice) => {
        const svc = c.owned
          .get('Service')
          ?.get(slice.metadata.labels?.[serviceNameLabel] ?? '', slice.metadata.namespace);
        for (const ref of svc?.metadata.ownerReferences ?? []) {
          if (ref.kind === 'Gateway') this.waypoints.enqueue(`${slice.metadata.namespace ?? ''}/${ref.name}`);
        }
      }),
    );
    for (const cache of c.owned.values()) {
      cache.on(
        onAny((o) => {
          for (const ref of o.metadata.ownerReferences ?? []) {
            if (ref.kind === 'Gateway' && o.metadata.namespace)
              this.waypoints.enqueue(`${o.metadata.namespace}/${ref.name}`);
          }
        }),
      );
    }
  }

  async start(): Promise<void> {
    this.server = await startHealthServer(this.opts.http.host, this.opts.http.port, () => this.serving, {
      '/debug/ambient': () => ambientDebug(this.caches, this.mesh(), this.clusterDomain()),
      ...(this.xds ? { '/debug/config_dump': (query) => configDump(this.xds, query) } : {}),
    });
    for (const i of this.caches.all()) i.start();
    await Promise.all(this.caches.all().map((i) => i.waitForSync()));
    this.log.info('caches synced');
    this.classes.enqueue(waypointClass);
    this.classes.start();
    this.waypoints.start();
    this.serviceStatus.start();
    this.configStatus.start();
    const xds = this.xds;
    const xdsOpts = this.opts.xds;
    if (xds && xdsOpts) {
      this.ca = await startMeshCa(
        this.api,
        this.client,
        { get: (name, ns) => this.caches.pods.get(name, ns), list: (pred) => this.caches.pods.list(pred) },
        {
          namespace: this.opts.namespace,
          revision: this.opts.revision,
          clusterId: xdsOpts.clusterId,
          trustDomain: this.mesh().trustDomain,
          ...xdsOpts.ca,
        },
        (pair) => xds.server.rotateCertificate(pair),
        this.log,
      );
      this.rootCerts.start();
      await xds.start(this.ca);
    }
    this.serving = true;
  }

  get xdsPorts(): number[] {
    return this.xds?.server.boundPorts ?? [];
  }

  get port(): number | undefined {
    return this.server?.port;
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.waypoints.stop(),
      this.classes.stop(),
      this.serviceStatus.stop(),
      this.configStatus.stop(),
      this.rootCerts.stop(),
      this.xds?.stop(),
    ]);
    this.ca?.stop();
    for (const i of this.caches.all()) i.stop();
    await this.server?.close();
  }
}
