#!/usr/bin/env bash
# CI stage for the container story, where podman is or can be made usable (a SKIP line elsewhere):
#   smoke           the compose stack end to end (docker/smoke-test.sh);
#   testcontainers  StreamContainerIntegrationTest through Testcontainers on podman's
#                   Docker-compatible API, with the locally built Kafka and Apicurio stand-ins.
# LETHE_CI_STAGES picks stages (default both). Exit non-zero if any stage failed, and if the
# Testcontainers test skipped although podman runs containers and the images were built.
# LETHE_MVN_FLAGS adds Maven flags (e.g. -o). The k8s/ manifests are checked by the test suite
# (KubernetesManifestsTest, KustomizeBuildTest).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=${LETHE_IMAGES_WORK:-/var/tmp/lethe-images}
SOCKET=${LETHE_PODMAN_SOCKET:-/run/lethe-podman.sock}
TC_TEST=StreamContainerIntegrationTest
START=$SECONDS
say() { echo "ci-stage [$((SECONDS - START)) s]: $*" >&2; }

if ! command -v podman >/dev/null 2>&1 && { [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; }; then
  echo "SKIP docker/ci-stage.sh: no podman, and no root apt-get to install it"
  exit 0
fi

# --- Testcontainers on podman's socket -------------------------------------------------------
SERVICE_PID=
stop_service() {
  if [ -n "$SERVICE_PID" ]; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
    SERVICE_PID=
    rm -f "$SOCKET"
  fi
}
trap stop_service EXIT
trap 'stop_service; exit 143' TERM INT

testcontainers() {
  local need=() t0=$SECONDS report rc=0
  for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || need+=("$tool"); done
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "SKIP testcontainers: missing ${need[*]} and not root"; return 0; }
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${need[@]}" >/dev/null 2>&1; } \
      || { echo "SKIP testcontainers: could not install ${need[*]}"; return 0; }
  fi
  [ "$(id -u)" -eq 0 ] || { echo "SKIP testcontainers: rootless podman is not set up for this (as for the smoke test)"; return 0; }
  # crun fails on hybrid cgroups, podman's default ulimits exceed the hard limits here
  # (../shared/docs/CONTAINERS.md); the API service takes no per-call flags, so they go here.
  mkdir -p "$WORK"
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' >"$WORK/containers.conf"
  export CONTAINERS_CONF="$WORK/containers.conf"
  podman info >/dev/null 2>&1 || { echo "SKIP testcontainers: podman info fails here: $(podman info 2>&1 | tail -1)"; return 0; }
  local images
  images=$(LETHE_IMAGES_WORK="$WORK" "$ROOT/docker/local-images.sh" standins) || { say "FAILED: building the stand-in images"; return 1; }
  local kafka_image
  kafka_image=$(echo "$images" | sed -n 's/^KAFKA_IMAGE=//p')
  podman run --rm --entrypoint true "$kafka_image" \
    || { echo "SKIP testcontainers: podman cannot run a container here"; return 0; }
  # From here on podman works and the images exist: a skipped test is a failure.

  rm -f "$SOCKET"
  podman system service --time=0 "unix://$SOCKET" >"$WORK/podman-service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 50); do
    podman --remote --url "unix://$SOCKET" version >/dev/null 2>&1 && break
    sleep 0.2
  done
  podman --remote --url "unix://$SOCKET" version >/dev/null 2>&1 \
    || { say "FAILED: podman's API service did not answer on $SOCKET: $(tail -3 "$WORK/podman-service.log")"; return 1; }
  say "podman API on unix://$SOCKET (pid $SERVICE_PID); running $TC_TEST"

  local pattern="*/surefire-reports/TEST-dev.lethe.stream.$TC_TEST.xml"
  find "$ROOT" -maxdepth 3 -path "$pattern" -delete 2>/dev/null || true  # a report found below is this run's
  # Ryuk's image cannot be pulled here (containers are stopped by the test itself); the start-up
  # checks would pull a tiny image too. LETHE_REQUIRE_CONTAINERS=1 turns the test's skip into a failure.
  (cd "$ROOT" && DOCKER_HOST="unix://$SOCKET" TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_CHECKS_DISABLE=true \
     LETHE_REQUIRE_CONTAINERS=1 mvn -B ${LETHE_MVN_FLAGS:-} test -Dtest="$TC_TEST") || rc=$?
  stop_service
  report=$(find "$ROOT" -maxdepth 3 -path "$pattern" 2>/dev/null | head -1)
  if [ $rc -ne 0 ]; then say "FAILED: $TC_TEST (mvn exit $rc) after $((SECONDS - t0)) s"; return 1; fi
  [ -n "$report" ] || { say "FAILED: $TC_TEST left no report"; return 1; }
  # The suite's first line, e.g. <testsuite ... tests="6" errors="0" skipped="0" failures="0">
  local counts
  counts=$(grep -o '<testsuite [^>]*' "$report" | grep -o ' \(tests\|skipped\|failures\|errors\)="[0-9]*"' | tr -d ' "' | tr '\n' ' ')
  if ! echo "$counts" | grep -q 'skipped=0' || echo "$counts" | grep -q 'tests=0'; then
    say "FAILED: $TC_TEST skipped although podman runs containers and the images exist ($counts)"
    return 1
  fi
  say "passed: $TC_TEST on podman ($counts) in $((SECONDS - t0)) s"
}

failed=()
for stage in ${LETHE_CI_STAGES:-smoke testcontainers}; do
  case "$stage" in
    smoke) "$ROOT/docker/smoke-test.sh" || failed+=(smoke) ;;
    testcontainers) testcontainers || failed+=(testcontainers) ;;
    *) say "unknown stage $stage (smoke, testcontainers)"; exit 2 ;;
  esac
done
if [ ${#failed[@]} -gt 0 ]; then
  say "FAILED stages: ${failed[*]}"
  exit 1
fi
say "all stages passed or skipped (see SKIP lines)"
