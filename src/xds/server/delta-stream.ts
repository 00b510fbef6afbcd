// An incremental ADS stream (DeltaAggregatedResources), as ztunnel and pilot-agent speak it: per type URL the
// subscribed names and/or a wildcard, and the version of each resource the client holds. Only resources whose
// version differs are sent; those gone (or asked for and not existing) are listed as removed. A reconnecting client
// names what it holds in initial_resource_versions, and unchanged resources are not sent again. A NACK (error_detail)
// is logged and counted; the rejected resources are not resent until their content changes. Envoy applies the valid
// part of a rejected update, so what was sent counts as held: a later change, even back to the content accepted
// before, is sent again, and nothing unchanged is.
import { AdsStream } from './ads-stream.ts';
import { encodeDeltaResponse, type DeltaDiscoveryRequest } from './wire.ts';

interface DeltaWatch {
  wildcard: boolean;
  names: Set<string>;
  /** What the client holds: name → version. */
  held: Map<string, string>;
  /** Names subscribed but never answered: a not-found must be told once, as a removal. */
  unanswered: Set<string>;
  nonce: string | undefined;
}

export class DeltaStream extends AdsStream<DeltaDiscoveryRequest> {
  private readonly watches = new Map<string, DeltaWatch>();

  static override readonly flavour = 'delta';

  protected watching(typeUrl: string): boolean {
    return this.watches.has(typeUrl);
  }

  protected onRequest(req: DeltaDiscoveryRequest): void {
    let watch = this.watches.get(req.typeUrl);
    const first = !watch;
    if (!watch) {
      // The first request of a type: no names means a wildcard subscription (legacy form), `*` says so explicitly.
      watch = {
        wildcard: req.resourceNamesSubscribe.length === 0 || req.resourceNamesSubscribe.includes('*'),
        names: new Set(),
        held: new Map(Object.entries(req.initialResourceVersions)),
        unanswered: new Set(),
        nonce: undefined,
      };
      this.watches.set(req.typeUrl, watch);
    } else if (req.responseNonce && req.responseNonce === watch.nonce && req.errorDetail) {
      this.events.rejected(this, req.typeUrl, req.errorDetail.message);
    }
    let changed = first;
    for (const name of req.resourceNamesSubscribe) {
      if (name === '*') {
        changed ||= !watch.wildcard;
        watch.wildcard = true;
      } else if (!watch.names.has(name)) {
        watch.names.add(name);
        watch.unanswered.add(name);
        changed = true;
      }
    }
    for (const name of req.resourceNamesUnsubscribe) {
      if (name === '*') watch.wildcard = false;
      watch.names.delete(name);
      watch.unanswered.delete(name);
      // Unsubscribed resources are forgotten by the client; a later subscribe must send them again.
      if (!watch.wildcard) watch.held.delete(name);
    }
    if (changed) this.send(req.typeUrl, first);
  }

  subscriptions(): Map<string, ReadonlySet<string> | undefined> {
    return new Map([...this.watches].map(([t, w]) => [t, w.wildcard ? undefined : w.names]));
  }

  protected sendEmpty(typeUrl: string): void {
    this.call.write(
      encodeDeltaResponse({
        systemVersionInfo: '',
        typeUrl,
        nonce: this.nextNonce(),
        removedResources: [],
        resources: [],
      }),
    );
  }

  protected send(typeUrl: string, always: boolean): void {
    const watch = this.watches.get(typeUrl);
    if (!watch || !this.proxy) return;
    const current = this.source.resources(this.proxy, typeUrl, watch.wildcard ? undefined : watch.names);
    const updated = [...current.values()].filter((r) => watch.held.get(r.name) !== r.version);
    const answered = new Set([...current.values()].flatMap((r) => [r.name, ...(r.aliases ?? [])]));
    const removed = [
      ...[...watch.held.keys()].filter((n) => !current.has(n)),
      ...[...watch.unanswered].filter((n) => !answered.has(n) && !watch.held.has(n)),
    ];
    watch.unanswered.clear();
    if (!always && updated.length === 0 && removed.length === 0) return;
    const nonce = this.nextNonce();
    const body = encodeDeltaResponse({
      systemVersionInfo: '',
      typeUrl,
      nonce,
      removedResources: removed,
      resources: updated.map((r) => ({
        name: r.name,
        version: r.version,
        aliases: r.aliases ?? [],
        resource: { typeUrl, value: r.body },
      })),
    });
    for (const r of updated) watch.held.set(r.name, r.version);
    for (const n of removed) watch.held.delete(n);
    watch.nonce = nonce;
    this.call.write(body);
    this.events.sent(this, typeUrl, updated.length, body.length);
  }
}
