#!/usr/bin/env bash
# promtool for `make rules` (issue 14): the one on PATH, else Debian's `prometheus` package downloaded and
# unpacked into .cache/ (not installed: no daemon, no root needed beyond what apt-get download needs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v promtool >/dev/null 2>&1; then exec promtool "$@"; fi
cached="$root/.cache/prometheus/usr/bin/promtool"
if [ ! -x "$cached" ]; then
  debs="$root/.cache/prometheus-deb"
  mkdir -p "$debs"
  (cd "$debs" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus; }; })
  dpkg-deb -x "$debs"/prometheus_*.deb "$root/.cache/prometheus"
fi
exec "$cached" "$@"
