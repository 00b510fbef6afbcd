// Why ServiceEntries (or parts of them) cannot be used, found as the model build finds it — parseServiceEntries,
// then settleHostnames over the Kubernetes Services' and the entries' hosts — for a view that does not build the
// model (/debug/ambient). Pure.
import type { KubeObject } from '../../kube/objects.ts';
import type { Service } from '../../xds/model/model.ts';
import { parseServiceEntries, type ServiceEntryProblem } from './service-entries.ts';
import { settleHostnames } from './service-hostnames.ts';

/** A hostname's definition, with only what settling reads. */
const definition = (o: KubeObject, hostname: string, serviceEntry?: Service['serviceEntry']): Service => ({
  name: o.metadata.name,
  namespace: o.metadata.namespace ?? '',
  hostname,
  vips: [],
  ports: [],
  endpoints: [],
  creationTimestamp: o.metadata.creationTimestamp ?? '',
  ...(serviceEntry ? { serviceEntry } : {}),
});

export function serviceEntryProblems(
  services: KubeObject[],
  serviceEntries: KubeObject[],
  clusterDomain: string,
): ServiceEntryProblem[] {
  const parsed = parseServiceEntries(serviceEntries);
  const kube = services.map((s) =>
    definition(s, `${s.metadata.name}.${s.metadata.namespace ?? ''}.svc.${clusterDomain}`),
  );
  const entries = parsed.entries.flatMap((e) =>
    e.hosts.map((host) =>
      definition(e.object, host, {
        resolution: e.resolution,
        location: e.location,
        subjectAltNames: e.subjectAltNames,
        canonical: false,
      }),
    ),
  );
  return [...parsed.problems, ...settleHostnames(kube, entries).problems];
}
