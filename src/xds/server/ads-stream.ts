// What both ADS stream flavours share: the stream's lifecycle, the caller's authentication (requests wait for it, a
// few at most), identifying the proxy from the first request's node (a node that is not Istio-shaped ends the stream
// with INVALID_ARGUMENT and says what is expected; one that is not the caller's, with PERMISSION_DENIED), answering
// a type URL the proxy is not served with an empty response (once per type; a stream that asks for more than a few
// such types is ended), nonces, and pushing every watched type in the source's order.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { authorizeNode, AuthError, type Caller, type Identity } from './authentication.ts';
import type { Connection, Reject, StreamEvents } from './connection.ts';
import { parseProxy, type Proxy } from './proxy.ts';
import type { ResourceSource } from './resources.ts';
import type { WireNode } from './wire.ts';

let streams = 0;

/** Distinct unserved types one stream may ask for before it is ended: real clients ask for none. */
const maxUnservedTypes = 8;
/** Requests kept while the caller is being authenticated: a real client sends a handful before its first answer. */
const maxWaitingRequests = 32;

export abstract class AdsStream<Req extends { node?: WireNode; typeUrl: string }> implements Connection {
  readonly id: string;
  readonly peer: string;
  proxy: Proxy | undefined;
  identity: Identity | undefined;
  lastReject: Reject | undefined;
  private closed = false;
  /** Undefined until authenticated; requests received before then wait in `waiting`. */
  private caller: Caller | undefined;
  private readonly waiting: Req[] = [];
  /** The unserved types already answered (empty): their ACKs are not answered again. */
  private readonly unserved = new Set<string>();
  private nonces = 0;
  protected readonly call: ServerDuplexStream<Req, Buffer>;
  protected readonly source: ResourceSource;
  protected readonly events: StreamEvents;

  /** Names the stream ids of a flavour (`sotw-1`, `delta-2`). */
  static readonly flavour: string = 'ads';

  constructor(
    call: ServerDuplexStream<Req, Buffer>,
    source: ResourceSource,
    events: StreamEvents,
    caller: Promise<Caller>,
  ) {
    this.id = `${(new.target as { flavour: string }).flavour}-${String(++streams)}`;
    this.peer = peerHost(call.getPeer());
    this.call = call;
    this.source = source;
    this.events = events;
    caller.then(
      (c) => {
        this.caller = c;
        for (const req of this.waiting.splice(0)) this.receive(req);
      },
      (e: unknown) => this.refuse(e),
    );
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
    if (this.closed) return;
    if (!this.caller) {
      if (this.waiting.length < maxWaitingRequests) this.waiting.push(req);
      else
        this.end(status.RESOURCE_EXHAUSTED, `more than ${String(maxWaitingRequests)} requests before authentication`);
      return;
    }
    if (!this.proxy) {
      let proxy: Proxy;
      try {
        proxy = parseProxy(req.node?.id ?? '', req.node?.metadata ?? {});
      } catch (err) {
        this.end(status.INVALID_ARGUMENT, (err as Error).message);
        return;
      }
      try {
        this.identity = authorizeNode(proxy, this.caller);
      } catch (e) {
        this.refuse(e);
        return;
      }
      this.proxy = proxy;
      this.events.opened(this);
    }
    if (!this.source.typesFor(this.proxy).includes(req.typeUrl)) {
      if (this.unserved.has(req.typeUrl)) return;
      if (this.unserved.size >= maxUnservedTypes) {
        this.end(
          status.INVALID_ARGUMENT,
          `asked for more than ${String(maxUnservedTypes)} types a ${this.proxy.generator} proxy is not served`,
        );
        return;
      }
      this.unserved.add(req.typeUrl);
      this.events.unserved(this, req.typeUrl);
      this.sendEmpty(req.typeUrl);
      return;
    }
    this.onRequest(req, this.proxy);
  }

  /** An authentication or authorization failure: reported, then the stream ends with its status. */
  private refuse(e: unknown): void {
    const err = e instanceof AuthError ? e : new AuthError(status.UNAUTHENTICATED, (e as Error).message);
    this.events.refused(this, status[err.code], err.message);
    this.end(err.code, err.message);
  }

  /** Ends the stream with a status (grpc-js sends what the 'error' event carries). */
  private end(code: status, details: string): void {
    this.call.emit('error', { code, details });
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
