// What the server keeps per ADS stream, whatever its flavour: the proxy, and a way to push what changed.
import type { Proxy } from './proxy.ts';

export interface Connection {
  readonly id: string;
  /** Undefined until the first request names the node. */
  readonly proxy: Proxy | undefined;
  /** Sends every subscribed type whose content changed since it was last sent. */
  push(): void;
  /** Type URL → the names subscribed (undefined: wildcard), for the config dump. */
  subscriptions(): Map<string, ReadonlySet<string> | undefined>;
}

/** What a stream reports to the server. */
export interface StreamEvents {
  opened(c: Connection): void;
  closed(c: Connection): void;
  sent(c: Connection, typeUrl: string, resources: number, bytes: number): void;
  rejected(c: Connection, typeUrl: string, message: string): void;
}
