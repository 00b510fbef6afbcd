// The control plane's configuration as the operator rendered it: the mesh ConfigMap (`mesh` key, YAML) and the
// values ConfigMap (`merged-values` key, JSON). Pure parsing with a clear error when either is malformed.
import { load } from 'js-yaml';
import type { LabelSelector } from '../../../src/api/kube-types.ts';
import { MeshConfig, Values } from '../../../src/api/values.ts';

export interface MeshSettings {
  discoverySelectors: LabelSelector[] | undefined;
  trustDomain: string;
  rootNamespace: string;
}

export function parseMesh(data: Record<string, string> | undefined, namespace: string): MeshSettings {
  const parsed = MeshConfig.safeParse(load(data?.['mesh'] ?? '{}') ?? {});
  if (!parsed.success) throw new Error(`mesh config: ${parsed.error.message}`);
  return {
    discoverySelectors: parsed.data.discoverySelectors,
    trustDomain: parsed.data.trustDomain ?? 'cluster.local',
    rootNamespace: parsed.data.rootNamespace ?? namespace,
  };
}

/** The cluster's DNS domain: values.global.proxy.clusterDomain, which istiod's chart passes as its --domain flag. */
export function clusterDomainOf(values: Values): string {
  const domain = (values.global?.proxy as { clusterDomain?: unknown } | undefined)?.clusterDomain;
  return typeof domain === 'string' && domain !== '' ? domain : 'cluster.local';
}

export function parseValues(data: Record<string, string> | undefined): Values {
  const parsed = Values.safeParse(JSON.parse(data?.['merged-values'] ?? '{}'));
  if (!parsed.success) throw new Error(`values: ${parsed.error.message}`);
  return parsed.data;
}
