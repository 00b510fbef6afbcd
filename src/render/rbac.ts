// RBAC objects. Rules name their API groups, resources and verbs explicitly, never `*`, so what a component may do
// can be read off its role.
import type { KubeObject, ObjectMeta } from '../kube/objects.ts';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

export const readVerbs = ['get', 'list', 'watch'];
export const writeVerbs = ['create', 'update', 'patch', 'delete'];
export const statusVerbs = ['update', 'patch'];

const rbacApiVersion = 'rbac.authorization.k8s.io/v1';

export function clusterRole(metadata: ObjectMeta, rules: PolicyRule[]): KubeObject {
  return { apiVersion: rbacApiVersion, kind: 'ClusterRole', metadata, rules };
}

export function role(metadata: ObjectMeta, rules: PolicyRule[]): KubeObject {
  return { apiVersion: rbacApiVersion, kind: 'Role', metadata, rules };
}

/** A binding of `roleName` (a ClusterRole for ClusterRoleBinding, a Role for RoleBinding) to one service account. */
export function binding(
  kind: 'ClusterRoleBinding' | 'RoleBinding',
  metadata: ObjectMeta,
  roleName: string,
  serviceAccount: { name: string; namespace: string },
): KubeObject {
  return {
    apiVersion: rbacApiVersion,
    kind,
    metadata,
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: kind === 'ClusterRoleBinding' ? 'ClusterRole' : 'Role',
      name: roleName,
    },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }],
  };
}

/** OpenShift admits the CNI and ztunnel pods (root, host paths) only with the privileged SecurityContextConstraints. */
export const privilegedSccRule: PolicyRule = {
  apiGroups: ['security.openshift.io'],
  resources: ['securitycontextconstraints'],
  resourceNames: ['privileged'],
  verbs: ['use'],
};
