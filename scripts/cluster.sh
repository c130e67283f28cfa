#!/usr/bin/env bash
# Builds, starts and stops the compose cluster; what `make up`, `make down`, the compose tests and
# the experiment all use, so that every one of them starts the cluster the same way.
#
#   scripts/cluster.sh build        publish KvHost, make sure Docker and the base image exist, build the image
#   scripts/cluster.sh start        make the cluster certificate where missing, (re)create the six containers from
#                                   the current environment and wait until all are healthy
#   scripts/cluster.sh up           build, then start
#   scripts/cluster.sh down         stop and remove the containers; each node's data volume stays
#   scripts/cluster.sh wipe         stop and remove the containers and their data volumes
#   scripts/cluster.sh compose ...  run a compose command on this project (e.g. `compose stop follower3`)
#
# Settings come from the environment, as the compose file reads them (WRITE_QUORUM, ACK_MODE, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-kvstore}
log() { printf '[cluster] %s\n' "$*" >&2; }
compose_cmd=$(scripts/ensure-docker.sh)
compose() { $compose_cmd -f docker-compose.yml "$@"; }

build() {
  log "publishing KvHost (self-contained, linux-x64)"
  rm -rf docker/publish
  dotnet publish KvHost/KvHost.csproj -c Release -r linux-x64 --self-contained -o docker/publish \
    -p:GenerateDocumentationFile=false -nologo -v quiet >&2
  # The healthcheck's client: Debian's static busybox wget (one small process, no .NET runtime),
  # copied in beside the node so that it works on any base image.
  if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then
    [ "$(id -u)" = 0 ] || { log "Debian's busybox-static is missing, and installing it needs root"; exit 1; }
    log "installing Debian's busybox-static (the healthcheck's wget; once per machine)"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static; } \
      >/tmp/kvstore-apt.log 2>&1 || { log "apt-get failed; see /tmp/kvstore-apt.log"; exit 1; }
  fi
  cp /bin/busybox docker/publish/busybox
  BASE_IMAGE=$(docker/ensure-base-image.sh)
  export BASE_IMAGE
  log "building image kvstore/node:dev on $BASE_IMAGE"
  docker build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t kvstore/node:dev docker >/dev/null
}

# True when GET /health on 127.0.0.1:$1 answers 200 (bash alone: the host may have no curl). In a
# subshell that ignores SIGPIPE: Docker's port proxy takes the connection before the node listens,
# then drops it.
answers_200() (
  trap '' PIPE
  status=
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || exit 1
  printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 2>/dev/null || exit 1
  read -r -t 2 _ status _ <&3 2>/dev/null || status=
  [ "$status" = 200 ]
)

# Until every node's /health answers 200 on its published port (leader 8000, followerN 8000+N; a
# leader answers 503 until it has recovered). Docker's own healthcheck runs too seldom to wait on.
wait_healthy() {
  local deadline=$((SECONDS + ${CLUSTER_START_TIMEOUT_S:-120}))
  while true; do
    local ids states unhealthy=0 port waiting="not all six containers running"
    ids=$(compose ps -q)
    [ -n "$ids" ] || { log "no containers"; return 1; }
    states=$(docker inspect -f '{{.Name}} {{.State.Status}}' $ids)
    if grep -qE ' (exited|dead)' <<<"$states"; then
      log "a node stopped during start:"; grep -E ' (exited|dead)' <<<"$states" >&2
      compose logs --no-color --tail=5 >&2 || true
      return 1
    fi
    [ "$(grep -c ' running$' <<<"$states")" -eq 6 ] || unhealthy=1
    if [ $unhealthy -eq 0 ]; then
      for port in 8000 8001 8002 8003 8004 8005; do
        answers_200 $port || { unhealthy=1; waiting="no 200 from /health on 127.0.0.1:$port"; break; }
      done
    fi
    [ $unhealthy -eq 0 ] && { log "all six nodes healthy (W=${WRITE_QUORUM:-5}, ACK_MODE=${ACK_MODE:-received}, delays ${MIN_DELAY_MS:-0}-${MAX_DELAY_MS:-1000} ms)"; return 0; }
    if [ $SECONDS -ge $deadline ]; then
      log "not healthy in time ($waiting):"; printf '%s\n' "$states" >&2; return 1
    fi
    sleep 0.25
  done
}

start() {
  # The image must exist; BASE_IMAGE only matters to `compose build`, but keep compose quiet about it.
  export BASE_IMAGE=${BASE_IMAGE:-kvstore/runtime-deps:10.0}
  docker image inspect kvstore/node:dev >/dev/null 2>&1 || { log "no image kvstore/node:dev: run 'scripts/cluster.sh build' (or make up)"; exit 1; }
  scripts/cluster-cert.sh docker/certs
  compose up -d --no-build --force-recreate --remove-orphans >&2 2>&1 || { compose logs --no-color --tail=5 >&2; exit 1; }
  wait_healthy
}

down() {
  compose down "$@" --remove-orphans -t 3 >&2 2>&1 && return 0
  # Docker 20.10 sometimes still lists an endpoint of a container it just removed (seen after
  # SIGKILLed and restarted nodes): "network ... has active endpoints". Drop stale endpoints, retry.
  local network="${COMPOSE_PROJECT_NAME}_default"
  log "compose down failed; disconnecting stale endpoints from $network and retrying"
  for endpoint in $(docker network inspect -f '{{range $id, $e := .Containers}}{{$e.Name}} {{end}}' "$network" 2>/dev/null); do
    docker network disconnect -f "$network" "$endpoint" >&2 2>&1 || true
  done
  sleep 1
  compose down "$@" --remove-orphans -t 3 >&2 2>&1 && return 0
  # Some stale endpoints belong to no container and survive even that; the network is harmless to
  # leave (the next `up` reuses it). What matters is that no node of the cluster is left running.
  if [ -z "$(compose ps -q)" ]; then
    log "all containers removed; left network $network in place (Docker still lists a stale endpoint on it)"
    return 0
  fi
  return 1
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  up) build; start ;;
  down) export BASE_IMAGE=${BASE_IMAGE:-kvstore/runtime-deps:10.0}; down ;;
  wipe) export BASE_IMAGE=${BASE_IMAGE:-kvstore/runtime-deps:10.0}; down --volumes ;;
  compose) shift; export BASE_IMAGE=${BASE_IMAGE:-kvstore/runtime-deps:10.0}; compose "$@" ;;
  *) echo "usage: $0 build|start|up|down|wipe|compose ARGS..." >&2; exit 2 ;;
esac
