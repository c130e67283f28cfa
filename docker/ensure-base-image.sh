#!/usr/bin/env bash
# Makes sure the node image's base exists and prints its name.
#
# On an ordinary Docker host that is mcr.microsoft.com/dotnet/runtime-deps:10.0. Where no registry
# can be reached, it builds the same content from Debian packages (bookworm plus the native
# libraries a self-contained .NET app needs: ICU, OpenSSL, CA certificates, tzdata) with
# debootstrap and imports it as kvstore/runtime-deps:10.0. The Debian mirror is read from this
# machine's apt configuration so that no mirror address is written into the repository.
set -euo pipefail

official=mcr.microsoft.com/dotnet/runtime-deps:10.0
local_image=kvstore/runtime-deps:10.0
log() { printf '[base-image] %s\n' "$*" >&2; }

if [ -n "${BASE_IMAGE:-}" ]; then echo "$BASE_IMAGE"; exit 0; fi
for image in "$official" "$local_image"; do
  if docker image inspect "$image" >/dev/null 2>&1; then echo "$image"; exit 0; fi
done
if timeout 60 docker pull -q "$official" >/dev/null 2>&1; then echo "$official"; exit 0; fi

log "$official cannot be pulled here; building $local_image from Debian packages (about 30 s)"
if ! command -v debootstrap >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/tmp/kvstore-apt.log 2>&1 && apt-get install -y -qq debootstrap >>/tmp/kvstore-apt.log 2>&1
fi
mirror=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { log "no Debian mirror found in the apt configuration"; exit 1; }

root=$(mktemp -d /tmp/kvstore-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=libicu72,libssl3,ca-certificates,tzdata \
  bookworm "$root" "$mirror" >/tmp/kvstore-debootstrap.log 2>&1 \
  || { log "debootstrap failed; see /tmp/kvstore-debootstrap.log"; tail -n 20 /tmp/kvstore-debootstrap.log >&2; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$local_image" >/dev/null
echo "$local_image"
