#!/bin/bash
# Formats the broker's storage with every principal's SCRAM credentials (KIP-900: they must exist before the first
# start) and starts it, from the files `platform kafka-secrets` (compose) or the launcher (testcontainers) wrote
# into /etc/kafka/secrets: server.properties, cluster-id, scram-credentials, ca.pem, broker.pem.
set -euo pipefail
secrets=/etc/kafka/secrets
scram=()
while read -r credential; do
  [ -n "$credential" ] && scram+=(--add-scram "$credential")
done < "$secrets/scram-credentials"
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t "$(cat "$secrets/cluster-id")" \
  -c "$secrets/server.properties" "${scram[@]}"
exec /opt/kafka/bin/kafka-server-start.sh "$secrets/server.properties"
