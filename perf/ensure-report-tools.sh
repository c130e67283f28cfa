#!/usr/bin/env bash
# Makes sure the report tools exist, installing only what is missing (safe to run every time):
# Debian's Chromium (renders the Plotly HTML to PNG and runs the report test) and the pinned npm
# packages in perf/node_modules (plotly.js-dist-min, inlined into the HTML; playwright-core, which
# drives that Chromium from perf/render.mjs).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
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

if [ ! -f "$here/node_modules/plotly.js-dist-min/plotly.min.js" ] \
  || [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  command -v npm >/dev/null 2>&1 || { log "npm is missing: install Node.js (Debian's nodejs and npm)"; exit 1; }
  log "installing the pinned npm packages in perf/ (npm ci)"
  # playwright-core must not try to download a browser: the machine can only reach the registries.
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
fi
