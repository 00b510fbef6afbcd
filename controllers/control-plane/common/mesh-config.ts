// The control plane's configuration as the operator rendered it: the mesh ConfigMap (`mesh` key, YAML) and the
// values ConfigMap (`merged-values` key, JSON). Pure parsing with a clear error when either is malformed.
import { load } from 'js-yaml';
import { z } from 'zod';
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

/**
 * The values as istiod reads them. Helm leaves a setting unset as an empty string (istiod's chart writes
 * `imagePullPolicy: ""`), so an empty string where the schema wants something else counts as unset.
 */
export function parseValues(data: Record<string, string> | undefined): Values {
  let raw: unknown = JSON.parse(data?.['merged-values'] ?? '{}');
  for (;;) {
    const parsed = Values.safeParse(raw);
    if (parsed.success) return parsed.data;
    const unset = withoutEmptyStringsAt(
      raw,
      parsed.error.issues.map((i) => i.path),
    );
    if (unset === raw) throw new Error(`values in the ConfigMap's merged-values: ${z.prettifyError(parsed.error)}`);
    raw = unset;
  }
}

/** A copy of `raw` without the empty strings at those paths; `raw` itself when there are none. */
function withoutEmptyStringsAt(raw: unknown, paths: PropertyKey[][]): unknown {
  const copy = structuredClone(raw);
  let changed = false;
  for (const path of paths) {
    const key = path.at(-1);
    const holder = path
      .slice(0, -1)
      .reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k], copy);
    if (
      key !== undefined &&
      typeof holder === 'object' &&
      holder !== null &&
      (holder as Record<PropertyKey, unknown>)[key] === ''
    ) {
      Reflect.deleteProperty(holder, key);
      changed = true;
    }
  }
  return changed ? copy : raw;
}
