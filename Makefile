# The two commands of the README: `make demo` (run the system) and `make test` (run every test).
# Both install what they need first: uv, the locked Python packages, the Kafka jars.
UV_VERSION := 0.13.8
UV := python3 -m uv

.PHONY: setup demo test lint

setup:
	@python3 -m uv --version 2>/dev/null | grep -q "$(UV_VERSION)" || python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	$(UV) run --frozen platform fetch

demo: setup
	$(UV) run --frozen platform demo $(ARGS)

test: setup
	$(UV) run --frozen pytest

lint: setup
	$(UV) run --frozen ruff check .
