//go:build tools

// Package tools pins Istio's pilot-agent (the waypoint pod's proxy agent) and pilot-discovery (istiod, the tests'
// oracle) for build-istio.sh.
package tools

import (
	_ "istio.io/istio/pilot/cmd/pilot-agent"
	_ "istio.io/istio/pilot/cmd/pilot-discovery"
)
