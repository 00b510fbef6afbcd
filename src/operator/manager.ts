// The operator process: caches, its controllers (each declares what wakes it), leader election, probes and
// metrics, and an orderly stop on SIGTERM.
import type { Logger } from 'winston';
import { istioController } from '../../controllers/operator/istio/istio-controller.ts';
import { istioCniController } from '../../controllers/operator/istiocni/istiocni-controller.ts';
import { istioRevisionController } from '../../controllers/operator/istiorevision/istiorevision-controller.ts';
import { istioRevisionTagController } from '../../controllers/operator/istiorevisiontag/istiorevisiontag-controller.ts';
import { zTunnelController } from '../../controllers/operator/ztunnel/ztunnel-controller.ts';
import { Caches, ownedResourcesFor } from '../../controllers/operator/common/caches.ts';
import type { OperatorContext, OperatorSettings } from '../../controllers/operator/common/context.ts';
import type { ApiClient } from '../kube/api-client.ts';
import { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import { EventRecorder } from '../kube/events.ts';
import { startHealthServer, type HealthServer } from '../kube/health-server.ts';
import { LeaderElector } from '../kube/leader-election.ts';

export interface ManagerOptions {
  settings: OperatorSettings;
  probeAddress: { host: string; port: number };
  metricsAddress?: { host: string; port: number };
  leaderElection?: { namespace: string; identity: string };
  workers: number;
}

const definitions = [
  istioController,
  istioRevisionController,
  istioRevisionTagController,
  istioCniController,
  zTunnelController,
];

export class OperatorManager {
  private readonly caches: Caches;
  private readonly controllers: Controller[];
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
    this.controllers = definitions.map((d) => Controller.from(d, ctx, log, opts.workers));
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
    for (const c of this.controllers) c.start();
    this.log.info('controllers started', { controllers: this.controllers.map((c) => c.name) });
  }

  get ports(): number[] {
    return this.servers.map((s) => s.port);
  }

  /** Finishes the reconciles in flight, releases the lease, closes the servers. */
  async stop(): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.stop()));
    this.caches.stop();
    await this.elector?.release();
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
