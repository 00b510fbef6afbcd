// main_internal: the internal listener behind connect_terminate. Its original_dst filter restores each tunnel's
// target (a Service VIP and port), and a matcher on destination IP, then port, picks that port's chain. A port of
// unknown protocol has an HTTP and a TCP chain; http_inspector sniffs its first bytes and the match on the detected
// application protocol chooses (HTTP/1.1 or h2c → HTTP, anything else → TCP). Sniffing is turned off on ports that
// need none, so server-first protocols there are not held up. A tunnel to anything else (a pod address: workload
// traffic is not served yet) falls to a default chain that refuses it, which also keeps the listener valid when no
// Service is bound (Envoy rejects a listener without chains).
import { filters, MAIN_INTERNAL } from './names.ts';
import { originalDstFilter, TCP_PROXY_TYPE } from './hbone-listeners.ts';
import { any, type Json } from './json.ts';

export interface PortChains {
  port: number;
  http?: string;
  tcp?: string;
}

export interface VipChains {
  vips: string[];
  ports: PortChains[];
}

const INPUTS = 'envoy.extensions.matching.common_inputs.network.v3';

const input = (name: string, type: string): Json => ({ name, typedConfig: any(`${INPUTS}.${type}`) });

const chain = (name: string): Json => ({
  action: { name, typedConfig: any('google.protobuf.StringValue', { value: name }) },
});

function onPort(p: PortChains): Json {
  if (p.http && p.tcp) {
    return {
      matcher: {
        matcherTree: {
          input: input('application-protocol', 'ApplicationProtocolInput'),
          // The input is the quoted, comma-separated list http_inspector detected.
          exactMatchMap: { map: { "'http/1.1'": chain(p.http), "'h2c'": chain(p.http) } },
        },
        onNoMatch: chain(p.tcp),
      },
    };
  }
  return chain(p.http ?? p.tcp ?? '');
}

function matcher(services: VipChains[]): Json {
  return {
    matcherTree: {
      input: input('destination-ip', 'DestinationIPInput'),
      customMatch: {
        name: 'ip',
        typedConfig: any('xds.type.matcher.v3.IPMatcher', {
          rangeMatchers: services.map((s) => ({
            ranges: s.vips.map((vip) => ({ addressPrefix: vip, prefixLen: vip.includes(':') ? 128 : 32 })),
            onMatch: {
              matcher: {
                matcherTree: {
                  input: input('destination-port', 'DestinationPortInput'),
                  exactMatchMap: { map: Object.fromEntries(s.ports.map((p) => [String(p.port), onPort(p)])) },
                },
              },
            },
          })),
        }),
      },
    },
  };
}

const portRange = (port: number): Json => ({ destinationPortRange: { start: port, end: port + 1 } });

/** http_inspector, off on every port where no Service needs sniffing; absent when none does. */
function httpInspector(services: VipChains[]): Json[] {
  const sniffed = new Set<number>();
  const plain = new Set<number>();
  for (const s of services) for (const p of s.ports) (p.http && p.tcp ? sniffed : plain).add(p.port);
  if (sniffed.size === 0) return [];
  const off = [...plain].filter((p) => !sniffed.has(p)).sort((a, b) => a - b);
  const disabled =
    off.length === 0
      ? {}
      : { filterDisabled: off.length === 1 ? portRange(off[0]!) : { orMatch: { rules: off.map(portRange) } } };
  return [
    {
      name: filters.httpInspector,
      typedConfig: any('envoy.extensions.filters.listener.http_inspector.v3.HttpInspector'),
      ...disabled,
    },
  ];
}

const UNMATCHED = 'unmatched';

function unmatchedChain(): Json {
  return {
    name: UNMATCHED,
    filters: [
      {
        // ALLOW with no policies: every connection is denied (and counted).
        name: filters.networkRbac,
        typedConfig: any('envoy.extensions.filters.network.rbac.v3.RBAC', {
          rules: { action: 'ALLOW', policies: {} },
          statPrefix: `${UNMATCHED}.`,
        }),
      },
      // Never reached; a network filter chain must end in a terminal filter. No cluster has this name.
      { name: filters.tcpProxy, typedConfig: any(TCP_PROXY_TYPE, { statPrefix: UNMATCHED, cluster: UNMATCHED }) },
    ],
  };
}

export function mainInternal(services: VipChains[], chains: Json[]): Json {
  const inspector = httpInspector(services);
  return {
    name: MAIN_INTERNAL,
    internalListener: {},
    trafficDirection: 'INBOUND',
    listenerFilters: [originalDstFilter(), ...inspector],
    // A server-first protocol on a sniffed port gives the inspector nothing to read: after the listener filter
    // timeout, go on (to the TCP chain) rather than close.
    ...(inspector.length > 0 ? { continueOnListenerFiltersTimeout: true } : {}),
    filterChains: chains,
    defaultFilterChain: unmatchedChain(),
    ...(services.length > 0 ? { filterChainMatcher: matcher(services) } : {}),
  };
}
