// Lease-based leader election (coordination.k8s.io/v1), with client-go's timing: a lease of 15 s, renewed every
// 2 s, given up when it cannot be renewed within 10 s, and released on shutdown so a successor starts at once.
import type { Logger } from 'winston';
import { isConflict, isNotFound } from './api-client.ts';
import type { KubeClient } from './client.ts';
import { microTime } from './events.ts';
import type { KubeObject } from './objects.ts';
import { resources } from './resources.ts';

interface Lease extends KubeObject {
  spec: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export class LeaderElector {
  private leading = false;
  private stopping = false;
  private lastRenew = 0;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;

  private readonly client: KubeClient;
  private readonly opts: LeaderElectionOptions;
  private readonly log: Logger;

  constructor(client: KubeClient, opts: LeaderElectionOptions, log: Logger) {
    this.client = client;
    this.opts = opts;
    this.log = log;
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryMs = opts.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Resolves when this process leads; then keeps renewing and calls `onLost` if leadership is lost. */
  async acquire(onLost: () => void): Promise<void> {
    while (!this.stopping && !(await this.tryAcquireOrRenew())) await delay(this.retryMs);
    if (this.stopping) return;
    this.log.info('became leader', { lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.opts.identity });
    void this.renewLoop(onLost);
  }

  /** Gives the lease up (holder cleared) so the next candidate need not wait for it to expire. */
  async release(): Promise<void> {
    this.stopping = true;
    if (!this.leading) return;
    this.leading = false;
    const lease = await this.client.get<Lease>(resources.lease, this.opts.name, this.opts.namespace);
    if (lease?.spec.holderIdentity !== this.opts.identity) return;
    lease.spec = { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(new Date()) };
    await this.client.replace(lease, 'ambit-leader-election').catch((err: unknown) => {
      this.log.warn('could not release the lease', { error: (err as Error).message });
    });
  }

  private isStopping(): boolean {
    return this.stopping;
  }

  private async renewLoop(onLost: () => void): Promise<void> {
    while (this.leading && !this.stopping) {
      await delay(this.retryMs);
      if (this.isStopping()) return;
      const renewed = await this.tryAcquireOrRenew();
      if (!renewed && Date.now() - this.lastRenew > this.renewDeadlineMs) {
        this.leading = false;
        this.log.error('lost leadership', { lease: `${this.opts.namespace}/${this.opts.name}` });
        onLost();
        return;
      }
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    try {
      const lease = await this.client.get<Lease>(resources.lease, this.opts.name, this.opts.namespace);
      const spec = {
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: Math.round(this.leaseMs / 1000),
        renewTime: microTime(now),
      };
      if (!lease) {
        await this.client.create(
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.opts.name, namespace: this.opts.namespace },
            spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
          },
          'ambit-leader-election',
        );
      } else {
        const holder = lease.spec.holderIdentity;
        const renewedAt = lease.spec.renewTime ? Date.parse(lease.spec.renewTime) : 0;
        const expired = renewedAt + (lease.spec.leaseDurationSeconds ?? 0) * 1000 < now.getTime();
        if (holder && holder !== this.opts.identity && !expired) return false;
        const transition = holder !== this.opts.identity;
        lease.spec = {
          ...lease.spec,
          ...spec,
          ...(transition
            ? { acquireTime: microTime(now), leaseTransitions: (lease.spec.leaseTransitions ?? 0) + 1 }
            : {}),
        };
        await this.client.replace(lease, 'ambit-leader-election');
      }
      this.leading = true;
      this.lastRenew = now.getTime();
      return true;
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err))
        this.log.warn('leader election request failed', { error: (err as Error).message });
      return false;
    }
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
