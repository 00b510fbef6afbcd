// The control plane's serving side, on every replica: the mesh model rebuilt from the caches when anything it reads
// changes (debounced: a burst of changes costs one rebuild and one push, within a bounded delay), and the ADS server
// that serves it with the CA beside it on the same listeners.
import type { Logger } from 'winston';
import { Histogram } from 'prom-client';
import { metricsRegistry } from '../kube/metrics.ts';
import type { KubeObject } from '../kube/objects.ts';
import { buildMeshModel } from '../ambient/build/mesh-model.ts';
import { MeshResources } from '../xds/source.ts';
import { Debouncer } from '../xds/server/debounce.ts';
import { XdsServer, type XdsListener } from '../xds/server/xds-server.ts';
import { xdsAuthenticator } from '../xds/server/authentication.ts';
import type { ControlPlaneCaches } from '../../controllers/control-plane/common/caches.ts';
import type { MeshSettings } from '../../controllers/control-plane/common/mesh-config.ts';
import { namespaceInScope } from '../../controllers/control-plane/common/scope.ts';
import type { ApiClient } from '../kube/api-client.ts';
import type { KubeClient } from '../kube/client.ts';
import { startMeshCa, type MeshCa } from './ca/mesh-ca.ts';

export interface CaSettings {
  trustedNodeAccounts: string[];
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

const rebuildSeconds = new Histogram({
  name: 'ambit_xds_model_build_seconds',
  help: 'Time to rebuild the mesh model and push it.',
  buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [metricsRegistry],
});

/** What xDS callers must prove (istiod's XDS_AUTH and XDS_AUTH_PLAINTEXT, but authenticating plaintext by default). */
export interface XdsAuthSettings {
  enabled: boolean;
  plaintext: boolean;
}

export interface XdsOptions {
  listeners: XdsListener[];
  auth: XdsAuthSettings;
  /** The TLS listener that serves the CA's own certificate for the control plane (15012), when no files are given. */
  caTlsListener?: { host: string; port: number };
  ca: CaSettings;
  clusterId: string;
  network: string;
  debounceMs?: number;
  maxDebounceMs?: number;
}

export class ControlPlaneXds {
  readonly server: XdsServer;
  readonly source: MeshResources;
  private readonly debouncer: Debouncer;
  private readonly caches: ControlPlaneCaches;
  private readonly mesh: () => MeshSettings;
  private readonly clusterDomain: () => string;
  private readonly opts: XdsOptions;
  private readonly log: Logger;

  constructor(
    caches: ControlPlaneCaches,
    mesh: () => MeshSettings,
    clusterDomain: () => string,
    opts: XdsOptions,
    log: Logger,
  ) {
    this.caches = caches;
    this.mesh = mesh;
    this.clusterDomain = clusterDomain;
    this.opts = opts;
    this.log = log.child({ controller: 'xds' });
    this.source = new MeshResources(this.build());
    this.server = new XdsServer(this.source, { ...opts, onConnect: () => this.refreshIfStale() }, log);
    this.debouncer = new Debouncer(opts.debounceMs ?? 20, opts.maxDebounceMs ?? 250, () => this.rebuild());
    for (const cache of caches.meshInputs())
      cache.on({
        add: () => this.changed(),
        update: (a, b) => this.changedUnlessSame(a, b),
        delete: () => this.changed(),
      });
  }

  /**
   * Loads the CA (its key from the Secrets of the control plane's namespace), then serves xDS and the CA on every
   * listener, the CA's own serving certificate on its TLS listener (renewed without a rebind). xDS callers prove
   * themselves with the CA's token check or a certificate from its roots.
   */
  async start(api: ApiClient, client: KubeClient, who: { namespace: string; revision: string }): Promise<MeshCa> {
    const ca = await startMeshCa(
      api,
      client,
      this.caches.pods,
      { ...who, clusterId: this.opts.clusterId, trustDomain: this.mesh().trustDomain, ...this.opts.ca },
      (pair) => this.server.rotateCertificate(pair),
      this.log,
    );
    this.stale = true;
    this.server.addService(ca.service.definition, ca.service.implementation);
    const caTls = this.opts.caTlsListener;
    await this.server.start({
      authenticate: xdsAuthenticator({ ...this.opts.auth, reviewToken: ca.authenticate }),
      more: caTls ? [{ ...caTls, tls: ca.serving }] : [],
      clientRoots: ca.authority.rootPem,
    });
    return ca;
  }

  async stop(): Promise<void> {
    this.debouncer.stop();
    await this.server.stop();
  }

  private changedUnlessSame(a: KubeObject, b: KubeObject): void {
    // Periodic resyncs replay objects unchanged; they must not cost a rebuild.
    if (a !== b) this.changed();
  }

  private changed(): void {
    this.debouncer.trigger();
  }

  /** With no proxy connected there is no one to push to: the model is built when the next one connects. */
  private stale = false;

  private refreshIfStale(): void {
    if (!this.stale) return;
    this.stale = false;
    this.rebuild();
  }

  private rebuild(): void {
    if (this.server.proxies.length === 0) {
      this.stale = true;
      return;
    }
    const end = rebuildSeconds.startTimer();
    try {
      this.source.update(this.build());
      this.server.pushAll();
    } catch (err) {
      this.log.error('failed to build the mesh model; serving the last one', { error: (err as Error).message });
    } finally {
      end();
    }
  }

  /** The last build's ServiceEntry problems: each is logged when it appears, not again on every rebuild. */
  private loggedProblems = new Set<string>();

  private build() {
    const c = this.caches;
    const mesh = this.mesh();
    const inScope = (o: KubeObject) =>
      namespaceInScope(c.namespaces.get(o.metadata.namespace ?? ''), mesh.discoverySelectors);
    const { model, problems } = buildMeshModel(
      {
        view: c.ambientView(),
        namespaces: c.namespaces.list(),
        clusterGateways: c.gateways.list(),
        gatewayClasses: c.gatewayClasses.list(),
        referenceGrants: c.referenceGrants.list(),
        gateways: c.gateways.list(inScope),
        services: c.services.list(inScope),
        endpointSlices: c.endpointSlices.list(inScope),
        pods: c.pods.list(inScope),
        workloadEntries: c.workloadEntries.list(inScope),
        serviceEntries: c.serviceEntries.list(inScope),
        httpRoutes: c.httpRoutes.list(inScope),
        virtualServices: c.virtualServices.list(inScope),
        authorizationPolicies: c.authorizationPolicies.list(inScope),
      },
      {
        clusterId: this.opts.clusterId,
        network: this.opts.network,
        trustDomain: mesh.trustDomain,
        clusterDomain: this.clusterDomain(),
        rootNamespace: mesh.rootNamespace,
      },
    );
    const key = (p: { serviceEntry: string; message: string }) => `${p.serviceEntry}\n${p.message}`;
    for (const p of problems)
      if (!this.loggedProblems.has(key(p)))
        this.log.warn('ServiceEntry not fully supported', { serviceEntry: p.serviceEntry, problem: p.message });
    this.loggedProblems = new Set(problems.map(key));
    return model;
  }
}
