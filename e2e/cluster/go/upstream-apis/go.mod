// Upstream API definitions read at test time (never built, never committed): Istio's CRDs for the conformance
// test and the Gateway API CRDs the test cluster installs. Pinned here so go.sum verifies them.
module ambit.invalid/e2e/cluster/upstream-apis

go 1.26.0

require (
	istio.io/api v1.31.4
	sigs.k8s.io/gateway-api v1.6.0
)
