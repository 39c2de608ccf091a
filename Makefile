# The two commands of the README: `make demo` (run the system) and `make test` (run every check).
# Both install what they need first: uv, the locked Python packages, the Kafka jars.
# Bytecode is compiled once here: the suite starts a hundred-odd Python processes (services, replicas, CLIs),
# and where PYTHONDONTWRITEBYTECODE is set (as where the suite was timed) each would otherwise compile every import,
# about 3 s of CPU apiece on a 2-core machine.
UV_VERSION := 0.13.8
UV := python3 -m uv

.PHONY: setup browser demo observability test lint typecheck installs rules unit faults

setup:
	@python3 -m uv --version 2>/dev/null | grep -q "$(UV_VERSION)" || python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet --compile-bytecode
	$(UV) run --frozen python -m compileall -q -j 0 shared/src services/*/src deploy/src
	$(UV) run --frozen platform fetch

# What the browser tests drive (README "Browser tests"): Debian's chromium and fonts-noto-cjk, installed with apt-get
# when missing (as root, as CI runs), and axe-core from the npm registry into the cache. Not part of `setup`, so
# `make demo` needs neither root nor a browser.
browser: setup
	$(UV) run --frozen python -m platform_deploy.browser

demo: setup
	$(UV) run --frozen platform demo $(ARGS)

# The demo left running with Prometheus and Alertmanager beside it (Debian packages unpacked into .cache/, no
# Docker; Grafana is not packaged here, so its dashboard is a Prometheus console page): the addresses are printed.
observability: setup
	$(UV) run --frozen platform demo --keep-running --observability $(ARGS)

# Everything CI checks, cheapest first: lint, types, each service installing alone, then the suite
# (unit + integration against the real broker and database).
test: setup browser lint typecheck installs rules
	$(UV) run --frozen pytest

lint: setup
	$(UV) run --frozen ruff check .

typecheck: setup
	$(UV) run --frozen mypy

installs: setup
	UV="$(UV)" tools/check_service_installs.sh

# The alert rules (deploy/prometheus): valid, and firing on what they are meant for; Alertmanager's route to
# #ops-incident (deploy/alertmanager) valid, templates included.
rules:
	tools/promtool.sh check rules deploy/prometheus/alerts.yml
	cd deploy/prometheus && ../../tools/promtool.sh test rules alerts_test.yml
	tools/amtool.sh check-config deploy/alertmanager/alertmanager.yml
	tools/amtool.sh template render --template.glob='deploy/alertmanager/*.tmpl' \
	  --template.text='{{ template "ops_incident.title" . }}{{ template "ops_incident.text" . }}' >/dev/null

# The fast tier: every test that needs no broker and no database (all but those marked integration).
unit: setup
	$(UV) run --frozen pytest -m "not integration" -q

# The fault suite of issue 15 (docs/reliability.md): every fault it can cause, with the real services, broker,
# database and vendor stand-in, then the counts; then Schemathesis against every service's API as every
# identity. Slow (about 19 minutes here), so not part of `make test`.
faults: setup
	$(UV) run --frozen python -m benchmarks.faults $(ARGS)
	$(UV) run --frozen python -m benchmarks.hostile_api
