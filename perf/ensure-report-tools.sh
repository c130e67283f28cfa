#!/usr/bin/env bash
# Makes sure the report tool exists, installing it only where missing (safe to run every time):
# Debian's Chromium, which KvPerf drives headless with Playwright (its Node driver comes in the
# Microsoft.Playwright NuGet package) to check the Plotly HTML and render it to PNG, and which the
# report tests open. Playwright never installs a browser of its own, and Plotly.NET inlines
# plotly.js itself, so nothing else is needed.
set -euo pipefail

log() { printf '[report-tools] %s\n' "$*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ]; then
    log "Debian's chromium is missing, and installing it needs root"; exit 1
  fi
  log "installing Debian's chromium (once per machine)"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=/tmp/kvperf-apt.log
  { apt-get update -qq && apt-get install -y -qq chromium; } >"$apt_log" 2>&1 \
    || { log "apt-get failed; see $apt_log"; tail -n 20 "$apt_log" >&2; exit 1; }
fi
