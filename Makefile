# kvstore: the commands a user needs. Each sets up what it needs on a fresh Debian machine with
# only the .NET SDK (Docker engine, base image, Chromium, npm packages) where it is missing.

SHELL := /bin/bash
# One compose cluster at a time: its host ports (8000-8005) are fixed, so the compose tests and
# the experiment take this lock rather than trample each other (-o: a dockerd started underneath
# must not inherit it).
LOCK := flock -o /tmp/kvstore-compose.lock

.PHONY: build up down test test-quick reliability experiment clean

build:                ## compile everything
	dotnet build Actors.sln -nologo -v quiet

up:                   ## build the image, start leader + 5 followers, wait until all six are healthy
	scripts/cluster.sh up

down:                 ## stop and remove the cluster
	scripts/cluster.sh down

test:                 ## every test: actor specs, in-process cluster, compose cluster, report rendering
	scripts/cluster.sh build
	bash perf/ensure-report-tools.sh
	$(LOCK) dotnet test Actors.sln -nologo --logger "console;verbosity=normal"

test-quick:           ## the tests that need no Docker (actor specs, in-process cluster)
	dotnet test Actors.sln -nologo --filter "Category!=Compose"

reliability:          ## the fault suite and the generated-request property: figures to results/reliability.jsonl, printed as RELIABILITY.md's tables
	mkdir -p results && rm -f results/reliability.jsonl
	$(LOCK) bash -c 'scripts/cluster.sh build && KVSTORE_RELIABILITY_OUT=$(CURDIR)/results/reliability.jsonl \
	  dotnet test KvHost.Tests -nologo --filter "FullyQualifiedName~KvHost.Tests.Compose.Faults.|FullyQualifiedName~GeneratedRequestProperties|FullyQualifiedName~Forged_replayed" --logger "console;verbosity=normal"'; \
	status=$$?; scripts/reliability-table.sh results/reliability.jsonl; exit $$status

experiment:           ## the W = 1..5 latency experiment and its Plotly report in results/
	bash perf/experiment.sh

clean:
	scripts/cluster.sh down || true
	rm -rf docker/publish */bin */obj perf/*/bin perf/*/obj
