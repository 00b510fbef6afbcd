// The parts of Gateway API (gateway.networking.k8s.io) objects the translators read, as plain JSON. The API server
// applies the CRD defaults, but golden inputs and older objects may omit them, so every field is optional here and the
// translators supply the defaults themselves.

export interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  port?: number;
  weight?: number;
  filters?: unknown[];
}

export interface HeaderValue {
  name: string;
  value: string;
}

export interface HeaderModifier {
  set?: HeaderValue[];
  add?: HeaderValue[];
  remove?: string[];
}

export interface RequestRedirect {
  scheme?: string;
  hostname?: string;
  path?: { type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; replaceFullPath?: string; replacePrefixMatch?: string };
  port?: number;
  statusCode?: number;
}

export interface Filter {
  type: string;
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
  requestRedirect?: RequestRedirect;
}

export interface Match {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  queryParams?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  method?: string;
}

export interface Rule {
  name?: string;
  matches?: Match[];
  filters?: Filter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { codes?: number[]; attempts?: number; backoff?: string };
}

export interface HTTPRouteSpec {
  parentRefs?: ParentRef[];
  hostnames?: string[];
  rules?: Rule[];
}

export interface ReferenceGrantSpec {
  from?: { group?: string; kind?: string; namespace?: string }[];
  to?: { group?: string; kind?: string; name?: string }[];
}

export const gatewayGroup = 'gateway.networking.k8s.io';

/** Gateway API writes the core group as "" (and some clients as "core"). */
export const isCoreGroup = (group: string | undefined) => group === undefined || group === '' || group === 'core';
