#!/usr/bin/env bash
# Makes sure Debian's redis-server (Redis 7 on bookworm) is installed, installing it where missing
# (root only, once per machine), and prints the path of the binary. What `make bench` and the
# benchmark's Redis specs use; the benchmark starts its own master and replicas on ports of its
# own, so the package's service (port 6379), if apt started it, is left alone.
set -euo pipefail

log() { printf '[ensure-redis] %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "redis-server is missing, and installing it needs root"; exit 1
  fi
  log "installing Debian's redis-server (once per machine)"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=/tmp/kvstore-apt-redis.log
  { apt-get update -qq && apt-get install -y -qq redis-server; } >"$apt_log" 2>&1 \
    || { log "apt-get failed; see $apt_log"; tail -n 20 "$apt_log" >&2; exit 1; }
fi

command -v redis-server
