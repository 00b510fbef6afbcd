// A namespace as an AuthorizationPolicy may name it: a namespace name (a DNS label of at most 63 characters), or
// with one `*` for a prefix (`prod-*`), a suffix (`*-prod`) or any namespace (`*`), as Istio accepts them.
const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const part = /^[-a-z0-9]{1,62}$/;

export function isNamespacePattern(value: string): boolean {
  if (value === '*') return true;
  if (value.startsWith('*')) return part.test(value.slice(1));
  if (value.endsWith('*')) return part.test(value.slice(0, -1));
  return label.test(value);
}
