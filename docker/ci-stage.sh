#!/usr/bin/env bash
# CI stage for the container story: the compose stack end to end under podman
# (docker/smoke-test.sh), where podman is or can be made usable; a SKIP line elsewhere.
# The k8s/ manifests are checked by the test suite (KubernetesManifestsTest, KustomizeBuildTest).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v podman >/dev/null 2>&1 && { [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; }; then
  echo "SKIP docker/ci-stage.sh: no podman, and no root apt-get to install it"
  exit 0
fi
exec "$ROOT/docker/smoke-test.sh"
