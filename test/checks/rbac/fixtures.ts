// Small YAML builders for RBAC check tests.

export function clusterRole(name: string, rules: string, extra = ''): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}${extra}}\nrules: ${rules}\n---\n`;
}

export function role(ns: string, name: string, rules: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: ${name}, namespace: ${ns}}\nrules: ${rules}\n---\n`;
}

export function clusterBinding(name: string, roleName: string, subjects: string, extra = ''): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${name}${extra}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName}}\nsubjects: ${subjects}\n---\n`;
}

export function binding(ns: string, name: string, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ${name}, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${roleName}}\nsubjects: ${subjects}\n---\n`;
}
