// Kubernetes Events (events.k8s.io/v1) about our objects, so `kubectl describe` and `kubectl get events` show what
// the operator did and what is wrong. A repeat of the same event within a window is dropped, so a stuck object
// does not write an Event per retry. The Event's name is derived from what it says about which object, so a restarted
// process (whose memory of recent Events is gone) reads its earlier Event instead of creating another: within the
// window it writes nothing, after it it counts the repeat in the Event's series.
import { createHash } from 'node:crypto';
import type { Logger } from 'winston';
import { isConflict } from './api-client.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import { resourceOf } from './resources.ts';

export type EventType = 'Normal' | 'Warning';

/** metav1.MicroTime: microsecond precision, which the API server requires for eventTime. */
export function microTime(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class EventRecorder {
  private readonly recent = new Map<string, number>();

  private readonly client: KubeClient;
  private readonly controller: string;
  private readonly instance: string;
  private readonly log: Logger;
  private readonly dedupeWindowMs: number;

  constructor(client: KubeClient, controller: string, instance: string, log: Logger, dedupeWindowMs = 10 * 60_000) {
    this.client = client;
    this.controller = controller;
    this.instance = instance;
    this.log = log;
    this.dedupeWindowMs = dedupeWindowMs;
  }

  /** Records an event; never throws (an Event is a courtesy, not part of the reconcile). */
  async record(regarding: KubeObject, type: EventType, reason: string, action: string, note: string): Promise<void> {
    const id = `${regarding.metadata.uid ?? regarding.metadata.name}|${type}|${reason}|${note}`;
    const now = Date.now();
    const last = this.recent.get(id);
    if (last !== undefined && now - last < this.dedupeWindowMs) return;
    this.recent.set(id, now);
    for (const [k, t] of this.recent) if (now - t >= this.dedupeWindowMs) this.recent.delete(k);
    // The API server files Events about cluster-scoped objects under `default`; kubectl describe looks there.
    const namespace = regarding.metadata.namespace ?? 'default';
    const event: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: eventName(regarding, id), namespace },
      eventTime: microTime(new Date(now)),
      reportingController: this.controller,
      reportingInstance: this.instance,
      action,
      reason,
      type,
      note: note.slice(0, 1024),
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.metadata.name,
        ...(regarding.metadata.namespace ? { namespace: regarding.metadata.namespace } : {}),
        ...(regarding.metadata.uid ? { uid: regarding.metadata.uid } : {}),
      },
    };
    try {
      // Read before writing: after a restart the Event is usually there already, and then nothing is sent.
      const existing = await this.client.get(resourceOf(event), event.metadata.name, namespace);
      if (existing) await this.repeat(event, existing, now);
      else
        try {
          await this.client.create(event, this.controller);
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
    } catch (err) {
      this.log.warn('could not record event', { reason, error: (err as Error).message });
    }
  }

  /** The same Event exists already (recorded before a restart): counted in its series once the window has passed. */
  private async repeat(event: KubeObject, existing: KubeObject, now: number): Promise<void> {
    const series = existing['series'] as { count: number; lastObservedTime: string } | undefined;
    const last = Date.parse(series?.lastObservedTime ?? (existing['eventTime'] as string | undefined) ?? '');
    if (now - last < this.dedupeWindowMs) return;
    await this.client.mergePatch(
      resourceOf(event),
      event.metadata.name,
      event.metadata.namespace,
      { series: { count: (series?.count ?? 1) + 1, lastObservedTime: microTime(new Date(now)) } },
      this.controller,
    );
  }
}

/** `<object>.<hash of what the event says about it>`: the same event about the same object has the same name. */
function eventName(regarding: KubeObject, id: string): string {
  return `${regarding.metadata.name.slice(0, 200)}.${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}
