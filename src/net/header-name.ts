// An HTTP field name as it appears on the wire (RFC 9110 token), or an HTTP/2 pseudo-header (`:authority`). Anything
// else can match no request, and Envoy refuses a matcher whose name holds NUL, CR or LF with the whole listener. Also
// where AuthorizationPolicy condition keys name a request header.

const token = /^:?[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isHeaderName(name: string): boolean {
  return token.test(name);
}

/** The header an AuthorizationPolicy `request.headers[<name>]` condition key names; undefined for other keys. */
export function requestHeaderKeyName(key: string): string | undefined {
  return /^request\.headers\[(.+)\]$/.exec(key)?.[1];
}
