// Names of a control plane's objects, as Istio's charts name them: unsuffixed for the default revision, suffixed
// with the revision otherwise, so revisions side by side in one namespace never collide.

export interface ControlPlaneNames {
  /** The revision as labels and the control plane name it: `default` for the unnamed revision. */
  revisionLabel: string;
  /** The ServiceAccount, Deployment, Service, PodDisruptionBudget, Role and RoleBinding: istiod[-<rev>]. */
  istiod: string;
  /** The mesh configuration: istio[-<rev>]. */
  meshConfigMap: string;
  /** The values the control plane was rendered from: values[-<rev>]. */
  valuesConfigMap: string;
  /** The ClusterRole and ClusterRoleBinding, unique per revision and namespace: istiod-clusterrole[-<rev>]-<ns>. */
  clusterRole: string;
}

/** `revision` is values.revision: "" for the IstioRevision named default, else its name. */
export function controlPlaneNames(revision: string | undefined, namespace: string): ControlPlaneNames {
  const suffix = revision ? `-${revision}` : '';
  return {
    revisionLabel: revision || 'default',
    istiod: `istiod${suffix}`,
    meshConfigMap: `istio${suffix}`,
    valuesConfigMap: `values${suffix}`,
    clusterRole: `istiod-clusterrole${suffix}-${namespace}`,
  };
}
