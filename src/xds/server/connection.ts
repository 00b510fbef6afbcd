// What the server keeps per ADS stream, whatever its flavour: the proxy, its last NACK, and a way to push what
// changed. Everything per client lives on its stream, so it goes when the stream ends.
import type { Identity } from './authentication.ts';
import type { Proxy } from './proxy.ts';

export interface Connection {
  readonly id: string;
  /** Undefined until the first request names the node. */
  readonly proxy: Proxy | undefined;
  /** Who the caller proved to be (undefined: anonymous, where a listener allows it). */
  readonly identity: Identity | undefined;
  /** The host the stream comes from, for rate-limiting what is logged about it. */
  readonly peer: string;
  /** The last configuration the proxy rejected on this stream. */
  lastReject: Reject | undefined;
  /** Sends every subscribed type whose content changed since it was last sent. */
  push(): void;
  /** Type URL → the names subscribed (undefined: wildcard), for the config dump. */
  subscriptions(): Map<string, ReadonlySet<string> | undefined>;
}

export interface Reject {
  typeUrl: string;
  message: string;
  at: string;
}

/** What a stream reports to the server. */
export interface StreamEvents {
  opened(c: Connection): void;
  closed(c: Connection): void;
  sent(c: Connection, typeUrl: string, resources: number, bytes: number): void;
  rejected(c: Connection, typeUrl: string, message: string): void;
  /** A caller refused before it was served: not authenticated, or asking for a node that is not its own. */
  refused(c: Connection, code: string, message: string): void;
  /** A request for a type this proxy is not served, answered with nothing. */
  unserved(c: Connection, typeUrl: string): void;
}
