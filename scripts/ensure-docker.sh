#!/usr/bin/env bash
# Makes sure a Docker engine answers and a compose tool exists, installing Debian's docker.io and
# docker-compose and starting the daemon where a fresh machine has only the docker client.
# Prints the compose command to use (docker compose v2 when present, else docker-compose v1.29).
set -euo pipefail

log() { printf '[ensure-docker] %s\n' "$*" >&2; }

have_compose() { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; }

if ! command -v dockerd >/dev/null 2>&1 || ! have_compose; then
  if [ "$(id -u)" != 0 ]; then
    log "no Docker engine or compose tool here, and installing them needs root"; exit 1
  fi
  log "installing Debian's docker.io and docker-compose (once per machine)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq docker.io docker-compose iptables; } >/tmp/kvstore-apt.log 2>&1 \
    || { log "apt-get failed; see /tmp/kvstore-apt.log"; tail -n 20 /tmp/kvstore-apt.log >&2; exit 1; }
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /tmp/dockerd.log)"
  nohup dockerd >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not answer within 60 s; see /tmp/dockerd.log"; tail -n 20 /tmp/dockerd.log >&2; exit 1; }
fi

if docker compose version >/dev/null 2>&1; then echo "docker compose"; else echo "docker-compose"; fi
