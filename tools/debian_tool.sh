#!/usr/bin/env bash
# tools/debian_tool.sh PACKAGE TOOL [ARGS...]: TOOL from PATH, else from Debian's PACKAGE downloaded and unpacked
# into .cache/PACKAGE (not installed: no daemon, no root needed beyond what apt-get download needs), the folder
# platform_deploy/observability.py unpacks the same packages into. For promtool.sh and amtool.sh (`make rules`).
set -euo pipefail
package="$1" tool="$2"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v "$tool" >/dev/null 2>&1; then exec "$tool" "$@"; fi
cached="$root/.cache/$package/usr/bin/$tool"
if [ ! -x "$cached" ]; then
  debs="$root/.cache/$package-deb"
  mkdir -p "$debs"
  (cd "$debs" && { apt-get download "$package" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$package"; }; })
  dpkg-deb -x "$(ls "$debs/${package}"_*.deb | tail -n 1)" "$root/.cache/$package"
fi
exec "$cached" "$@"
