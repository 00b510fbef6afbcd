// The inline route configuration of an `inbound-vip|<port>|http|<host>` chain: the Service port's route table in
// rule order, or, without one, everything to the chain's own cluster.
import type { RouteTable } from '../model/model.ts';
import { faultConfig } from './fault.ts';
import { duration, type Json } from './json.ts';
import { headerChanges, routeAction, type ClusterFor } from './route-action.ts';
import { isCatchAll, routeMatch } from './route-match.ts';

function tableRoutes(table: RouteTable, clusterFor: ClusterFor): Json[] {
  const routes: Json[] = [];
  for (const rule of table.rules) {
    // A rule without matches takes every request.
    for (const match of rule.matches.length > 0 ? rule.matches : [{}]) {
      routes.push({
        match: routeMatch(match),
        ...routeAction(rule, clusterFor),
        ...headerChanges(rule),
        ...(rule.fault ? { typedPerFilterConfig: faultConfig(rule.fault) } : {}),
      });
      // Nothing after a catch-all can match.
      if (isCatchAll(match)) return routes;
    }
  }
  return routes;
}

const defaultRoute = (cluster: string): Json => ({
  name: 'default',
  match: { prefix: '/' },
  route: { cluster, timeout: duration(0) },
});

export function inboundRouteConfig(
  name: string,
  port: number,
  table: RouteTable | undefined,
  clusterFor: ClusterFor,
): Json {
  return {
    name,
    virtualHosts: [
      {
        name: `inbound|http|${port}`,
        domains: ['*'],
        routes: table ? tableRoutes(table, clusterFor) : [defaultRoute(name)],
      },
    ],
    // A route to a cluster Envoy does not (yet) have must not fail the whole route configuration.
    validateClusters: false,
  };
}
