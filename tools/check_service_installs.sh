#!/usr/bin/env bash
# Each service installs alone (issue 8; postmodern-mono's "sync one package to catch phantom imports"):
# sync only that package, from the lock, into a fresh environment, and import its composition root.
# A dependency the service uses but does not declare fails here, as it would in its container image.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-python3 -m uv}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for service in lottery waitlist notifier policy console; do
  started=$(date +%s)
  env_dir="$root/$service"
  UV_PROJECT_ENVIRONMENT="$env_dir" $uv sync --frozen --quiet --no-dev --package "$service-service"
  "$env_dir/bin/python" -c "import ${service}_service.bootstrap, ${service}_service.main"
  echo "installs alone: $service-service (uv sync --package $service-service; imported ${service}_service.bootstrap) in $(( $(date +%s) - started ))s"
done
