// /debug/config_dump: what the xDS server currently sends one connected proxy (`?proxy=<node id>`), per type URL,
// as protobuf JSON; without a proxy, the connected proxies, who they authenticated as, and their last NACK. Like
// istiod's /debug/config_dump.
import type { ControlPlaneXds } from './xds.ts';

export function configDump(xds: ControlPlaneXds, query: URLSearchParams): unknown {
  const id = query.get('proxy');
  const connections = xds.server.proxies;
  if (!id) {
    return connections.map((c) => ({
      proxy: c.proxy?.id,
      stream: c.id,
      generator: c.proxy?.generator,
      // Who the caller proved to be (absent: an anonymous caller, where a listener allows one).
      caller: c.identity ? `${c.identity.namespace}/${c.identity.serviceAccount}` : undefined,
      lastReject: c.lastReject,
    }));
  }
  const conn = connections.find((c) => c.proxy?.id === id);
  if (!conn?.proxy) throw new Error(`no proxy "${id}" is connected; GET /debug/config_dump lists those that are`);
  const proxy = conn.proxy;
  return Object.fromEntries(
    [...conn.subscriptions()].map(([typeUrl, names]) => [
      typeUrl,
      [...xds.source.generate(proxy, typeUrl, names).entries()]
        .filter(([name]) => !names || names.has(name))
        .map(([, obj]) => obj),
    ]),
  );
}
