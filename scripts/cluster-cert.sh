#!/usr/bin/env bash
# Makes the cluster's certificate where it is missing: one self-signed certificate that every node
# presents and requires of every peer (Akka.Remote's mutual TLS), so that only the cluster's nodes
# may replicate. Never committed (.gitignore); each machine makes its own.
#
#   scripts/cluster-cert.sh [DIR]     DIR defaults to docker/certs
#
# Writes DIR/cluster.pfx (certificate and private key, no password: CLUSTER_CERTIFICATE) and
# DIR/cluster.pem (the certificate alone, to inspect it: the nodes trust exactly this certificate).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-docker/certs}
log() { printf '[cluster-cert] %s\n' "$*" >&2; }

if [ -s "$dir/cluster.pfx" ] && [ -s "$dir/cluster.pem" ]; then
  exit 0
fi

if ! command -v openssl >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { log "openssl is missing and installing it needs root"; exit 1; }
  log "installing Debian's openssl"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/tmp/kvstore-apt-openssl.log 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl; } >>/tmp/kvstore-apt-openssl.log 2>&1
fi

mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A CA-flagged self-signed certificate: every node takes it as the one trusted root of its peers' chains
# (ClusterTrust: custom root trust, whatever the machine's own roots say).
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=kvstore-cluster" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
  -addext "extendedKeyUsage=serverAuth,clientAuth" \
  -keyout "$tmp/cluster.key" -out "$tmp/cluster.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/cluster.key" -in "$tmp/cluster.pem" -out "$tmp/cluster.pfx" -passout pass: 2>/dev/null
# The private key is for the nodes alone: inside the containers they run as UID 1654 (the .NET
# images' app user), so as root the key file goes to that UID, readable by nobody else.
chmod 755 "$dir"
install -m 644 "$tmp/cluster.pem" "$dir/cluster.pem"
if [ "$(id -u)" = 0 ]; then
  install -m 600 -o 1654 -g 1654 "$tmp/cluster.pfx" "$dir/cluster.pfx"
else
  install -m 644 "$tmp/cluster.pfx" "$dir/cluster.pfx"
fi
log "made the cluster certificate $dir/cluster.pfx ($(openssl x509 -in "$dir/cluster.pem" -noout -fingerprint -sha256 | cut -d= -f2))"
