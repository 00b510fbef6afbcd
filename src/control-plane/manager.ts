// The control plane process: caches, its controllers (each declares what wakes it), the CA and the xDS server,
// probes, metrics and debug endpoints on one HTTP port, and an orderly stop. Every replica serves xDS and the CA;
// with leader election (istiod's way, one lease per revision) only the leader runs the controllers, which write.
import type { Logger } from 'winston';
import { ControlPlaneCaches } from '../../controllers/control-plane/common/caches.ts';
import {
  controlPlaneContext,
  type ControlPlaneContext,
  type ControlPlaneSettings,
} from '../../controllers/control-plane/common/context.ts';
import { configStatusController } from '../../controllers/control-plane/configstatus/configstatus-controller.ts';
import { gatewayClassController } from '../../controllers/control-plane/gatewayclass/gatewayclass-controller.ts';
import { rootCertController } from '../../controllers/control-plane/rootcert/rootcert-controller.ts';
import { waypointController } from '../../controllers/control-plane/waypoint/waypoint-controller.ts';
import { waypointBoundController } from '../../controllers/control-plane/waypointbound/waypointbound-controller.ts';
import type { ApiClient } from '../kube/api-client.ts';
import { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import { EventRecorder } from '../kube/events.ts';
import { startHealthServer, type HealthServer } from '../kube/health-server.ts';
import { LeaderElector } from '../kube/leader-election.ts';
import type { MeshCa } from './ca/mesh-ca.ts';
import { ambientDebug } from './debug-ambient.ts';
import { configDump } from './debug-xds.ts';
import { ControlPlaneXds, type XdsOptions } from './xds.ts';

export interface ControlPlaneOptions extends ControlPlaneSettings {
  http: { host: string; port: number };
  identity: string;
  xds: XdsOptions;
  /** Whether replicas elect the one that writes (off: this process writes, alone). */
  leaderElection: boolean;
}

/** The lease the replicas of one revision elect their writer by. */
export const leaseName = (revision: string) => `ambit-control-plane-${revision}`;

const definitions = [
  gatewayClassController,
  waypointController,
  waypointBoundController,
  configStatusController,
  rootCertController,
];

export class ControlPlaneManager {
  private readonly caches: ControlPlaneCaches;
  private readonly ctx: ControlPlaneContext;
  private readonly controllers: Controller[];
  private readonly elector: LeaderElector | undefined;
  private ca: MeshCa | undefined;
  /** Caches synced, the CA loaded and xDS bound: what /readyz reports (leading or not). */
  private serving = false;
  private stopped = false;
  private readonly api: ApiClient;
  private server: HealthServer | undefined;
  private readonly xds: ControlPlaneXds;
  private readonly opts: ControlPlaneOptions;
  private readonly log: Logger;

  constructor(api: ApiClient, opts: ControlPlaneOptions, log: Logger) {
    this.opts = opts;
    this.log = log;
    this.api = api;
    const client = new KubeClient(api);
    this.caches = new ControlPlaneCaches(api, log);
    this.ctx = controlPlaneContext({
      client,
      caches: this.caches,
      events: new EventRecorder(client, 'istio.io/gateway-controller', opts.identity, log),
      settings: opts,
      root: () => this.ca?.authority.rootPem ?? '',
    });
    this.controllers = definitions.map((d) => Controller.from(d, this.ctx, log, 1));
    this.elector = opts.leaderElection
      ? new LeaderElector(
          client,
          { namespace: opts.namespace, name: leaseName(opts.revision), identity: opts.identity },
          log,
        )
      : undefined;
    this.xds = new ControlPlaneXds(this.caches, this.ctx.mesh, this.ctx.clusterDomain, opts.xds, log);
  }

  /**
   * Serves probes at once; xDS and the CA once the caches are synced and the CA is loaded (then /readyz answers);
   * the controllers once this replica leads. `onFatal` is called if leadership is lost.
   */
  async start(onFatal: (reason: string) => void): Promise<void> {
    this.server = await startHealthServer(this.opts.http.host, this.opts.http.port, () => this.serving, {
      '/debug/ambient': () => ambientDebug(this.caches, this.ctx.mesh(), this.ctx.clusterDomain()),
      '/debug/config_dump': (query) => configDump(this.xds, query),
    });
    this.caches.start();
    await this.caches.waitForSync();
    this.log.info('caches synced');
    this.ca = await this.xds.start(this.api, this.ctx.client, this.opts);
    this.serving = true;
    void this.lead(onFatal);
  }

  /** Waits to lead (at once without election), then starts the controllers. */
  private async lead(onFatal: (reason: string) => void): Promise<void> {
    if (this.elector) await this.elector.acquire(() => onFatal('lost leadership'));
    if (this.stopped) return;
    for (const c of this.controllers) c.start();
    this.log.info('controllers started', { controllers: this.controllers.map((c) => c.name) });
  }

  get xdsPorts(): number[] {
    return this.xds.server.boundPorts;
  }

  get port(): number | undefined {
    return this.server?.port;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.controllers.map((c) => c.stop()), this.xds.stop()]);
    await this.elector?.release();
    this.ca?.stop();
    this.caches.stop();
    await this.server?.close();
  }
}
