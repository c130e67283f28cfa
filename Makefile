# kvstore: the commands a user needs. Each sets up what it needs on a fresh Debian machine with
# only the .NET SDK (Docker engine, base image, Chromium) where it is missing.

SHELL := /bin/bash
# One compose cluster at a time: its host ports (8000-8005) are fixed, so the compose tests and
# the experiment take this lock rather than trample each other (-o: a dockerd started underneath
# must not inherit it).
LOCK := flock -o /tmp/kvstore-compose.lock

# Flags for `make bench`, e.g. a quick look: make bench BENCH_ARGS="--warmup 2 --duration 3 --targets local,redis"
BENCH_ARGS ?=
# Flags for `make restart`, e.g. make restart RESTART_ARGS="--keys 0,100000 --output /tmp/restart.json"
RESTART_ARGS ?=

.PHONY: build up down wipe test test-quick reliability experiment bench restart clean

build:                ## compile everything
	dotnet build Actors.sln -nologo -v quiet

up:                   ## build the image, start leader + 5 followers, wait until all six are healthy
	scripts/cluster.sh up

down:                 ## stop and remove the cluster; every node's data stays in its volume for the next `make up`
	scripts/cluster.sh down

wipe:                 ## stop and remove the cluster and delete every node's data (its volumes)
	scripts/cluster.sh wipe

test:                 ## every test: actor specs, in-process cluster, compose cluster, report rendering
	scripts/cluster.sh build
	bash perf/ensure-report-tools.sh
	$(LOCK) dotnet test Actors.sln -nologo --logger "console;verbosity=normal"

test-quick:           ## the tests that need no Docker (actor specs, in-process cluster)
	dotnet test Actors.sln -nologo --filter "Category!=Compose"

reliability:          ## the fault suite and the generated-request property: figures to results/reliability.jsonl, printed as RELIABILITY.md's tables
	mkdir -p results && rm -f results/reliability.jsonl
	$(LOCK) bash -c 'scripts/cluster.sh build && KVSTORE_RELIABILITY_OUT=$(CURDIR)/results/reliability.jsonl \
	  dotnet test KvHost.Tests -nologo --filter "FullyQualifiedName~KvHost.Tests.Compose.Faults.|FullyQualifiedName~GeneratedRequestProperties|FullyQualifiedName~A_process_without_the_cluster_certificate" --logger "console;verbosity=normal"'; \
	status=$$?; scripts/reliability-table.sh results/reliability.jsonl; exit $$status

experiment:           ## the W = 1..5 latency experiment and its Plotly report in results/
	bash perf/experiment.sh

# The compose target runs `scripts/cluster.sh build` itself before its first case, inside the lock,
# so the compose figures are of the code in this tree (and a run without compose skips the build).
bench:                ## kvstore (six local processes in memory and durable, the compose cluster) against Redis 7 side by side: writes/s, p50/p99, RSS, idle CPU; results/bench.{json,html}
	@flock -n -o /tmp/kvstore-compose.lock true || echo "[bench] waiting for /tmp/kvstore-compose.lock (another compose run holds it)" >&2
	$(LOCK) dotnet run --project perf/KvPerf -c Release -- bench $(BENCH_ARGS)

# Under the lock too: six nodes reading a million keys each would skew a benchmark running beside them.
restart:              ## restart time against data size: six durable local nodes on 0, 100k and 1M keys each, to healthy, ready, first write; results/restart.json
	@flock -n -o /tmp/kvstore-compose.lock true || echo "[restart] waiting for /tmp/kvstore-compose.lock (another run holds it)" >&2
	$(LOCK) dotnet run --project perf/KvPerf -c Release -- restart $(RESTART_ARGS)

clean:
	scripts/cluster.sh wipe || true
	rm -rf docker/publish */bin */obj perf/*/bin perf/*/obj
