// The workload API generator entry: ztunnel gets every address and authorization, generated once per model; names
// it has not seen are looked up by IP and answered with aliases.
import { memo, type Generator, type Named } from '../generation/generator.ts';
import { typeUrls } from '../proto/protos.ts';
import { addressResources } from './addresses.ts';
import { authorizationResources } from './authorizations.ts';
import { lookupAddresses } from './lookup.ts';

/** ztunnel: the workload API, generated once per model; names it has not seen are looked up by IP. */
export const workloadGenerator: Generator = {
  types: [typeUrls.address, typeUrls.authorization],
  generate(g, _proxy, typeUrl, names) {
    if (typeUrl === typeUrls.authorization) return memo(g, 'wds|authorization', () => authorizationResources(g.model));
    const all = memo(g, 'wds|address', () => addressResources(g.model));
    if (!names) return all;
    const found = new Map<string, Named>();
    const unknown = [...names].filter((n) => {
      const r = all.get(n);
      if (r) found.set(n, r);
      return !r;
    });
    // On-demand lookups: ztunnel asks for an IP (`<network>/<ip>`) it has not seen; the answer carries it as an
    // alias of the workload or service that has it.
    const lookup = lookupAddresses(g.model, unknown);
    for (const [n, r] of lookup.resources) found.set(n, r);
    for (const [n, a] of lookup.aliases) g.aliases.set(n, a);
    return found;
  },
  aliases: true,
};
