#!/usr/bin/env bash
# amtool for `make rules` (`amtool check-config deploy/alertmanager/alertmanager.yml`): the one on PATH, else
# from Debian's `prometheus-alertmanager` package (tools/debian_tool.sh).
exec "$(dirname "$0")/debian_tool.sh" prometheus-alertmanager amtool "$@"
