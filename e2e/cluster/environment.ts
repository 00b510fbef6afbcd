// The environment under which kubectl, helm and our own programs talk to a test cluster. kubectl and helm would
// otherwise write caches and config into $HOME.
import type { ClusterState } from './state.ts';

export function clusterEnv(state: ClusterState, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    PATH: `${state.binDir}:${base['PATH'] ?? ''}`,
    KUBECONFIG: state.kubeconfig,
    KUBECACHEDIR: `${state.runDir}/kube-cache`,
    HELM_CACHE_HOME: `${state.runDir}/helm/cache`,
    HELM_CONFIG_HOME: `${state.runDir}/helm/config`,
    HELM_DATA_HOME: `${state.runDir}/helm/data`,
  };
}

/** The same environment as shell `export` lines, for `source <run>/env.sh`. */
export function envScript(state: ClusterState): string {
  const env = clusterEnv(state, {});
  return [
    `export PATH="${state.binDir}:$PATH"`,
    ...Object.entries(env)
      .filter(([k]) => k !== 'PATH')
      .map(([k, v]) => `export ${k}="${v ?? ''}"`),
    '',
  ].join('\n');
}
