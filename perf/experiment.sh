#!/usr/bin/env bash
# What `make experiment` runs: the quorum experiment. Sets up the report tool where
# missing (Debian's Chromium), then runs perf/KvPerf with the arguments given
# (defaults: the compose cluster, W = 1..5, ACK_MODE received then applied; see --help), which
# writes results/quorum-latency.{json,html,png}.
#
# The compose cluster publishes fixed host ports (8000..8005) that the compose tests use too, so
# the whole run holds /tmp/kvstore-compose.lock. `flock -o` keeps the lock in flock itself and
# closes it in the command: a daemon started underneath (dockerd, by scripts/ensure-docker.sh)
# must not inherit the lock and hold it after the experiment ends.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

perf/ensure-report-tools.sh

lock=/tmp/kvstore-compose.lock
if ! flock -n -o "$lock" true; then
  echo "[experiment] waiting for $lock (another compose run holds it)" >&2
fi
exec flock -o "$lock" dotnet run --project perf/KvPerf -c Release -- "$@"
