// What connect_terminate hands main_internal about each HBONE tunnel. The inner connection is an internal one:
// no TLS, no real addresses. So the CONNECT stream copies into filter state, shared with that upstream connection,
// the tunnel's target (`:authority`, restored as the local address by main_internal's original_dst filter, which
// selects the filter chain), the client's address (restored as the remote address, for ipBlocks), and the client's
// SPIFFE ID (matched by the RBAC principals, see rbac-matchers.ts).
import { filters, PEER_PRINCIPAL_STATE } from './names.ts';
import { any, type Json } from './json.ts';

function shared(objectKey: string, format: string, factoryKey?: string): Json {
  return {
    objectKey,
    ...(factoryKey ? { factoryKey } : {}),
    formatString: { textFormatSource: { inlineString: format } },
    // Read-only: nothing after this filter may rewrite who the client is.
    readOnly: true,
    sharedWithUpstream: 'ONCE',
  };
}

/** The HTTP filter on connect_terminate, before the router. */
export function connectStateFilter(): Json {
  return {
    name: filters.setFilterState,
    typedConfig: any('envoy.extensions.filters.http.set_filter_state.v3.Config', {
      onRequestHeaders: [
        shared('envoy.filters.listener.original_dst.local_ip', '%REQ(:AUTHORITY)%'),
        shared('envoy.filters.listener.original_dst.remote_ip', '%DOWNSTREAM_REMOTE_ADDRESS%'),
        shared(PEER_PRINCIPAL_STATE, '%DOWNSTREAM_PEER_URI_SAN%', 'envoy.string'),
      ],
    }),
  };
}
