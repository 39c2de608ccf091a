#!/usr/bin/env bash
# promtool for `make rules`: the one on PATH, else from Debian's `prometheus` package (tools/debian_tool.sh).
exec "$(dirname "$0")/debian_tool.sh" prometheus promtool "$@"
