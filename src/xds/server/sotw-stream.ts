// A state-of-the-world ADS stream (StreamAggregatedResources): per type URL, the names subscribed (or a wildcard),
// the version and nonce last sent. A request whose nonce is not the last one sent is stale and ignored (as the xDS
// protocol says); one with error_detail is a NACK: logged and counted, and nothing is resent until the content or
// the subscription changes. Every type is answered on its first request of the stream, even when the client says
// it already has that version (a reconnecting client must hear from us to know we are there).
import { typeUrls } from '../proto/protos.ts';
import { AdsStream } from './ads-stream.ts';
import { setVersion } from './resources.ts';
import { encodeResponse, type DiscoveryRequest } from './wire.ts';

interface Watch {
  /** Undefined: wildcard. */
  names: Set<string> | undefined;
  sentVersion: string | undefined;
  nonce: string | undefined;
}

/** Types a client may subscribe to without names and get everything (LDS and CDS, as Envoy does). */
const wildcardTypes = new Set<string>([typeUrls.listener, typeUrls.cluster, typeUrls.address, typeUrls.authorization]);

export class SotwStream extends AdsStream<DiscoveryRequest> {
  private readonly watches = new Map<string, Watch>();

  static override readonly flavour = 'sotw';

  protected watching(typeUrl: string): boolean {
    return this.watches.has(typeUrl);
  }

  protected onRequest(req: DiscoveryRequest): void {
    const watch = this.watches.get(req.typeUrl);
    if (watch && req.responseNonce !== watch.nonce) return; // stale: an answer to an older response
    if (watch && req.errorDetail) this.events.rejected(this, req.typeUrl, req.errorDetail.message);
    const names =
      req.resourceNames.length === 0 && wildcardTypes.has(req.typeUrl) ? undefined : new Set(req.resourceNames);
    if (!watch) {
      this.watches.set(req.typeUrl, { names, sentVersion: undefined, nonce: undefined });
      this.send(req.typeUrl, true);
    } else if (!sameNames(watch.names, names)) {
      watch.names = names;
      this.send(req.typeUrl, true);
    }
  }

  subscriptions(): Map<string, ReadonlySet<string> | undefined> {
    return new Map([...this.watches].map(([t, w]) => [t, w.names]));
  }

  protected sendEmpty(typeUrl: string): void {
    this.call.write(encodeResponse({ versionInfo: '', typeUrl, nonce: this.nextNonce(), resources: [] }));
  }

  protected send(typeUrl: string, always: boolean): void {
    const watch = this.watches.get(typeUrl);
    if (!watch || !this.proxy) return;
    const resources = this.source.resources(this.proxy, typeUrl, watch.names);
    const version = setVersion(resources);
    if (!always && version === watch.sentVersion) return;
    const nonce = this.nextNonce();
    const body = encodeResponse({
      versionInfo: version,
      typeUrl,
      nonce,
      resources: [...resources.values()].map((r) => ({ typeUrl, value: r.body })),
    });
    watch.sentVersion = version;
    watch.nonce = nonce;
    this.call.write(body);
    this.events.sent(this, typeUrl, resources.size, body.length);
  }
}

function sameNames(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && [...a].every((n) => b.has(n));
}
