//go:build tools

// Package tools pins Istio's pilot-agent (the waypoint pod's proxy agent) for build-pilot-agent.sh.
package tools

import _ "istio.io/istio/pilot/cmd/pilot-agent"
