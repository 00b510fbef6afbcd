// What both ADS stream flavours share: the stream's lifecycle, identifying the proxy from the first request's node
// (a node that is not Istio-shaped ends the stream with INVALID_ARGUMENT and says what is expected), answering a type
// URL the proxy is not served with an empty response (once per type; a stream that asks for more than a few such
// types is ended), nonces, and pushing every watched type in the source's order.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { Connection, Reject, StreamEvents } from './connection.ts';
import { parseProxy, type Proxy } from './proxy.ts';
import type { ResourceSource } from './resources.ts';
import type { WireNode } from './wire.ts';

let streams = 0;

/** Distinct unserved types one stream may ask for before it is ended: real clients ask for none. */
const maxUnservedTypes = 8;

export abstract class AdsStream<Req extends { node?: WireNode; typeUrl: string }> implements Connection {
  readonly id: string;
  readonly peer: string;
  proxy: Proxy | undefined;
  lastReject: Reject | undefined;
  private closed = false;
  /** The unserved types already answered (empty): their ACKs are not answered again. */
  private readonly unserved = new Set<string>();
  private nonces = 0;
  protected readonly call: ServerDuplexStream<Req, Buffer>;
  protected readonly source: ResourceSource;
  protected readonly events: StreamEvents;

  constructor(flavour: string, call: ServerDuplexStream<Req, Buffer>, source: ResourceSource, events: StreamEvents) {
    this.id = `${flavour}-${String(++streams)}`;
    this.peer = peerHost(call.getPeer());
    this.call = call;
    this.source = source;
    this.events = events;
    call.on('data', (req: Req) => this.receive(req));
    call.on('end', () => this.close());
    call.on('error', () => this.close());
    call.on('cancelled', () => this.close());
  }

  /** A request for a type this proxy is served. */
  protected abstract onRequest(req: Req, proxy: Proxy): void;
  /** Sends a response to `typeUrl` with no resources. */
  protected abstract sendEmpty(typeUrl: string): void;
  /** Sends `typeUrl` if it changed for this stream (or always). */
  protected abstract send(typeUrl: string, always: boolean): void;
  protected abstract watching(typeUrl: string): boolean;
  abstract subscriptions(): Map<string, ReadonlySet<string> | undefined>;

  push(): void {
    if (!this.proxy || this.closed) return;
    for (const typeUrl of this.source.typesFor(this.proxy)) if (this.watching(typeUrl)) this.send(typeUrl, false);
  }

  protected nextNonce(): string {
    return `${this.id}-${String(++this.nonces)}`;
  }

  private receive(req: Req): void {
    if (!this.proxy) {
      try {
        this.proxy = parseProxy(req.node?.id ?? '', req.node?.metadata ?? {});
      } catch (err) {
        this.call.emit('error', { code: status.INVALID_ARGUMENT, details: (err as Error).message });
        return;
      }
      this.events.opened(this);
    }
    if (!this.source.typesFor(this.proxy).includes(req.typeUrl)) {
      if (this.unserved.has(req.typeUrl)) return;
      if (this.unserved.size >= maxUnservedTypes) {
        this.call.emit('error', {
          code: status.INVALID_ARGUMENT,
          details: `asked for more than ${String(maxUnservedTypes)} types a ${this.proxy.generator} proxy is not served`,
        });
        return;
      }
      this.unserved.add(req.typeUrl);
      this.events.unserved(this, req.typeUrl);
      this.sendEmpty(req.typeUrl);
      return;
    }
    this.onRequest(req, this.proxy);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.proxy) this.events.closed(this);
    this.call.end();
  }
}

/** `ipv4:1.2.3.4:5678` / `ipv6:[::1]:5678` / `1.2.3.4:5678` → the host. */
function peerHost(peer: string): string {
  const address = peer.replace(/^ipv[46]:/, '');
  const colon = address.lastIndexOf(':');
  return (colon > 0 ? address.slice(0, colon) : address).replace(/^\[|\]$/g, '');
}
