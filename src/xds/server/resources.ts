// What the ADS streams serve: encoded resources with content versions, asked of a ResourceSource per proxy and
// type. Push order follows the xDS rules for ADS: clusters before their endpoints, listeners before their routes.
import { createHash } from 'node:crypto';
import { typeUrls } from '../proto/protos.ts';
import type { Proxy } from './proxy.ts';

export interface Resource {
  name: string;
  /** A hash of the encoded bytes: equal content, equal version, across proxies and restarts. */
  version: string;
  body: Uint8Array;
  /** Other names the resource answers to (delta xDS aliases: ztunnel asks for workloads by `<network>/<ip>`). */
  aliases?: string[];
}

export interface ResourceSource {
  /** The type URLs this proxy may subscribe to, in push order. */
  typesFor(proxy: Proxy): readonly string[];
  /**
   * The resources of `typeUrl` for `proxy`, by name. `names` restricts to those names (or aliases); undefined asks
   * for all (a wildcard subscription). Names that do not exist are simply absent.
   */
  resources(proxy: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Resource>;
}

export const envoyPushOrder: readonly string[] = [
  typeUrls.cluster,
  typeUrls.endpoint,
  typeUrls.listener,
  typeUrls.route,
];

export const contentVersion = (body: Uint8Array): string =>
  createHash('sha256').update(body).digest('base64url').slice(0, 16);

/** One version for a set of resources (SotW's version_info). */
export function setVersion(resources: Map<string, Resource>): string {
  const h = createHash('sha256');
  for (const name of [...resources.keys()].sort())
    h.update(name)
      .update('\0')
      .update(resources.get(name)?.version ?? '');
  return h.digest('base64url').slice(0, 16);
}

export function resource(name: string, body: Uint8Array): Resource {
  return { name, version: contentVersion(body), body };
}
