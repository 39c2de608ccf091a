# One image per workspace package, built from the repository root with only that package installed:
#   docker build -f deploy/docker/service.Dockerfile --build-arg PACKAGE=lottery-service -t lottery .
FROM python:3.11-slim
ARG PACKAGE
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 PATH="/app/.venv/bin:$PATH"
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
COPY shared shared
COPY deploy deploy
COPY services services
# --package installs this package and what it declares (shared), nothing its siblings happen to bring.
RUN uv sync --frozen --no-dev --package "${PACKAGE}"
# The policy service's backup directory, owned by the user it runs as (a new volume mounted there takes
# this ownership); unused by the other services.
RUN useradd --system --uid 10001 app && install -d -o app /var/lib/policy-backups
USER app
