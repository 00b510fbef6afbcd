// The kubelet's part for a pod container run as a local process: its environment (downward API fields and resource
// values resolved), its arguments with $(VAR) expanded, and its volumes laid out under a working directory at the
// mount paths, since pilot-agent reads them relative to its working directory (./var/run/secrets/…, ./etc/istio/…).
import { availableParallelism, totalmem } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

type Tree = Record<string, unknown>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; divisor?: string | number };
  };
}

export interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Pod {
  metadata: { name: string; namespace: string; uid: string; labels?: Record<string, string> } & Tree;
  spec: { serviceAccountName?: string; nodeName?: string } & Tree;
  status?: Tree;
}

/** `metadata.name`, `status.podIP`, `metadata.labels['app']`, … read from the pod. */
export function fieldValue(pod: Pod, path: string): string {
  const keyed = /^(metadata\.(?:labels|annotations))\['(.+)'\]$/.exec(path);
  const steps = keyed ? [...keyed[1]!.split('.'), keyed[2]!] : path.split('.');
  let at: unknown = pod;
  for (const step of steps) at = typeof at === 'object' && at !== null ? (at as Tree)[step] : undefined;
  if (at === undefined) return '';
  if (typeof at === 'string') return at;
  if (typeof at === 'object' && at !== null)
    return Object.entries(at as Record<string, string>)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n');
  return JSON.stringify(at);
}

const suffixes: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

function quantity(q: string | number): number {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q));
  const scale = m ? (m[2] === '' ? 1 : suffixes[m[2]!]) : undefined;
  if (!m || scale === undefined) throw new Error(`unsupported resource quantity ${String(q)}`);
  return Number(m[1]) * scale;
}

/** As the kubelet: a missing limit is the node's capacity (here this machine's), rounded up to the divisor. */
function resourceValue(container: Container, resource: string, divisor: string | number = '1'): string {
  const [kind = '', name = ''] = resource.split('.');
  const set = kind === 'limits' ? container.resources?.limits?.[name] : container.resources?.requests?.[name];
  const machine = name === 'cpu' ? availableParallelism() : name === 'memory' ? totalmem() : undefined;
  if (machine === undefined) throw new Error(`unsupported resourceFieldRef ${resource}`);
  const value = set !== undefined ? quantity(set) : kind === 'limits' ? machine : 0;
  return String(Math.ceil(value / quantity(divisor)));
}

export function containerEnv(pod: Pod, container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of container.env ?? []) {
    const from = v.valueFrom;
    if (from?.fieldRef) env[v.name] = fieldValue(pod, from.fieldRef.fieldPath);
    else if (from?.resourceFieldRef)
      env[v.name] = resourceValue(container, from.resourceFieldRef.resource, from.resourceFieldRef.divisor);
    else if (from) throw new Error(`env ${v.name}: unsupported valueFrom ${JSON.stringify(from)}`);
    else env[v.name] = expand(v.value ?? '', env);
  }
  return env;
}

/** Kubernetes' $(VAR) expansion: known names are replaced, $$ escapes, anything else stays as written. */
export function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name?: string) =>
    name === undefined ? '$' : (env[name] ?? all),
  );
}

export interface VolumeSources {
  /** A token of the pod's service account for `audience` (none: the API server's own). */
  token: (audience: string) => Promise<string>;
  /** A ConfigMap's data. */
  configMap: (name: string) => Promise<Record<string, string>>;
}

type Items = { key?: string; path: string; fieldRef?: { fieldPath: string } }[] | undefined;

/** Writes each mounted volume's files under `root` + its mount path: emptyDir, downwardAPI, ConfigMaps, projected. */
export async function layOutVolumes(root: string, pod: Pod, container: Container, from: VolumeSources): Promise<void> {
  const volumes = (pod.spec['volumes'] ?? []) as ({ name: string } & Tree)[];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volumeMount ${mount.name} names no volume of the pod`);
    const dir = `${root}${mount.mountPath}`;
    await mkdir(dir, { recursive: true });
    const put = async (path: string, text: string) => {
      await mkdir(dirname(`${dir}/${path}`), { recursive: true });
      await writeFile(`${dir}/${path}`, text, { mode: 0o600 });
    };
    const configMap = async (source: { name: string; items?: Items }) => {
      const data = await from.configMap(source.name);
      const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const item of items) await put(item.path, data[item.key ?? ''] ?? '');
    };
    const downward = async (source: { items?: Items }) => {
      for (const item of source.items ?? []) await put(item.path, fieldValue(pod, item.fieldRef?.fieldPath ?? ''));
    };
    // A projected volume (the service account's kube-api-access one too) is the union of its sources.
    const sources = volume['projected'] ? (volume['projected'] as { sources: Tree[] }).sources : [volume];
    for (const source of sources) {
      const token = source['serviceAccountToken'] as { audience?: string; path: string } | undefined;
      if (source['emptyDir']) continue;
      else if (token) await put(token.path, await from.token(token.audience ?? ''));
      else if (source['configMap']) await configMap(source['configMap'] as { name: string; items?: Items });
      else if (source['downwardAPI']) await downward(source['downwardAPI']);
      else throw new Error(`volume ${volume.name}: unsupported source ${JSON.stringify(source)}`);
    }
  }
}
