#!/usr/bin/env bash
# amtool for `make rules` (`amtool check-config deploy/alertmanager/alertmanager.yml`): the one on PATH, else
# Debian's `prometheus-alertmanager` package downloaded and unpacked into .cache/, as tools/promtool.sh gets
# promtool and platform_deploy/observability.py gets Alertmanager itself (same folder, shared).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v amtool >/dev/null 2>&1; then exec amtool "$@"; fi
cached="$root/.cache/prometheus-alertmanager/usr/bin/amtool"
if [ ! -x "$cached" ]; then
  debs="$root/.cache/prometheus-alertmanager-deb"
  mkdir -p "$debs"
  (cd "$debs" && { apt-get download prometheus-alertmanager >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus-alertmanager; }; })
  dpkg-deb -x "$(ls "$debs"/prometheus-alertmanager_*.deb | tail -n 1)" "$root/.cache/prometheus-alertmanager"
fi
exec "$cached" "$@"
