#!/usr/bin/env bash
# End-to-end check of the compose stack under podman, with locally built images:
#   1. set-up: podman, runc, debootstrap, podman-compose (installed when root and missing), a
#      containers.conf of our own (runc, ulimits within this machine's limits), the images;
#   2. the Lethe image starts its natives with no network, and sizes its threads to --cpus;
#   3. `podman-compose up` of docker/compose.yaml: Kafka, Apicurio, s3proxy, the one-shot base
#      model, the processor, two serve replicas;
#   4. a deletion request published from the host (the Lethe image on the host's network,
#      against the published Kafka and registry ports) comes back as a model version;
#   5. both serve replicas read that version and answer POST /predict with it; the artifacts are
#      objects in the s3 service's bucket (no volume is shared), and `lethe replay` in the
#      processor's container rebuilds every version from them with 0 mismatches;
#   6. (LETHE_SMOKE_HEALTH=1, default) /health/live, /health/ready and /metrics answer.
# Exit 0 only when all of it passed; exit 0 with a line starting SKIP where podman cannot run
# containers. LETHE_SMOKE_KEEP=1 leaves the stack up for a look.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=${LETHE_IMAGES_WORK:-/var/tmp/lethe-images}
PROJECT=lethe-smoke
MODEL=fashion-mlp
DEADLINE_S=${LETHE_SMOKE_TIMEOUT:-1200}
START=$SECONDS
export LETHE_IMAGES_WORK=$WORK
mkdir -p "$WORK"

say() { echo "smoke-test [$((SECONDS - START)) s]: $*" >&2; }
skip() { echo "SKIP docker/smoke-test.sh: $*"; exit 0; }
fail() { say "FAILED: $*"; dump_logs; exit 1; }
dump_logs() {
  [ -n "${COMPOSE_UP:-}" ] || return 0
  for c in $(podman ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}' 2>/dev/null); do
    echo "----- logs of $c (last 30 lines)" >&2; podman logs --tail 30 "$c" >&2 2>&1 || true
  done
}

# --- 1. set-up --------------------------------------------------------------------------------
need=()
for tool in podman runc debootstrap podman-compose; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]}"
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${need[@]}" >/dev/null 2>&1; } \
      || skip "could not install ${need[*]}"
  else
    skip "missing ${need[*]} and not root to install them"
  fi
fi
[ "$(id -u)" -eq 0 ] || skip "rootless podman is not set up for this test (debootstrap and the volumes need root)"
# Our own containers.conf: crun fails on this kernel's hybrid cgroups, podman's default ulimits
# exceed the hard limits here (../shared/docs/CONTAINERS.md). The system file is left alone.
cat > "$WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$WORK/containers.conf"
podman info >/dev/null 2>&1 || skip "podman info fails here: $(podman info 2>&1 | tail -1)"

images=$("$ROOT/docker/local-images.sh") || fail "building the images"
eval "$(echo "$images" | grep -E '^[A-Z0-9_]+=[-a-zA-Z0-9/:._]+$' | sed 's/^/export /')"
podman run --rm --no-healthcheck --entrypoint true "$LETHE_IMAGE" || skip "podman cannot run a container here"
say "images: $LETHE_IMAGE $KAFKA_IMAGE $REGISTRY_IMAGE $S3_IMAGE"

# --- 2. the image on its own -----------------------------------------------------------------
out=$(podman run --rm --no-healthcheck --network none -e LETHE_MAIN=NativeWarmup -e LETHE_EXTRA_CLASSPATH=/opt/lethe/warmup \
      "$LETHE_IMAGE" 2>&1) || fail "natives did not start offline: $out"
echo "$out" | grep -q "natives ready" || fail "no 'natives ready' line: $out"
out=$(podman run --rm --no-healthcheck --cpus 1 "$LETHE_IMAGE" --version 2>&1 || true)
echo "$out" | grep -q "cpus=1 (threads: omp=1 openblas=1)" || fail "--cpus 1 did not size the pools to 1: $out"
uid=$(podman run --rm --no-healthcheck --entrypoint id "$LETHE_IMAGE" -u)
[ "$uid" != 0 ] || fail "the image runs as root"
say "image starts offline, runs as uid $uid, sizes its pools to the CPU quota"

# --- 3. the stack ------------------------------------------------------------------------------
compose() { podman-compose -p "$PROJECT" -f "$ROOT/docker/compose.yaml" "$@"; }
cleanup() {
  if [ "${LETHE_SMOKE_KEEP:-0}" = 1 ]; then say "stack left up (project $PROJECT)"; return; fi
  compose down -v >/dev/null 2>&1 || true
}
compose down -v >/dev/null 2>&1 || true
trap cleanup EXIT
# No internet here: the Debian package's Fashion-MNIST is mounted instead of downloaded.
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && export LETHE_DATASET=/usr/share/datasets/fashion-mnist
export LETHE_BASE_ARCH=mlp LETHE_BASE_EPOCHS=${LETHE_SMOKE_EPOCHS:-1} LETHE_MODEL_ID=$MODEL
COMPOSE_UP=1
compose up -d >"$WORK/compose-up.log" 2>&1 || fail "podman-compose up: $(tail -5 "$WORK/compose-up.log")"
say "podman-compose up -d done (log: $WORK/compose-up.log)"

# podman-compose and docker compose both label containers com.docker.compose.{project,service}.
container() { podman ps -a --filter "label=com.docker.compose.project=$PROJECT" \
                --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -1; }
# GET/POST inside a replica: works whether `serve` binds loopback only or LETHE_HTTP_BIND.
in_replica() { local c; c=$(container "$1"); shift; podman exec "$c" curl -fsS --max-time 10 "$@" 2>/dev/null; }
version_of() { in_replica "$1" http://127.0.0.1:8080/version | grep -o '"version": *[0-9]*' | grep -o '[0-9]*$'; }
wait_until() {  # SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local t0=$SECONDS
  until "$@"; do
    [ $((SECONDS - START)) -lt "$DEADLINE_S" ] || fail "overall deadline while waiting for $what"
    [ $((SECONDS - t0)) -lt "$limit" ] || fail "$what (waited $limit s)"
    sleep 5
  done
  say "$what ($((SECONDS - t0)) s)"
}
some_loaded() { local r v; for r in serve-1 serve-2; do v=$(version_of "$r") && [ -n "$v" ] && return 0; done; return 1; }
base_loaded() { local r v; for r in serve-1 serve-2; do v=$(version_of "$r") || return 1; [ -n "$v" ] || return 1; done; }
# The first replica waits for the base model to be trained and registered; the second only for
# Kafka to deliver the same event once more.
wait_until 900 "a serve replica serves the registered base model" some_loaded
t0=$SECONDS
until base_loaded; do
  [ $((SECONDS - t0)) -lt 120 ] || fail "only one replica received the base version: do the replicas share a consumer
  group? (a group id derived from the process id is the same in every container, where the JVM is PID 1)"
  sleep 5
done
say "both serve replicas serve the base model ($((SECONDS - t0)) s after the first)"
BASE_VERSION=$(version_of serve-1)

# --- 4. a deletion request from the host --------------------------------------------------------
say "publishing a deletion request (forget Shirt) from the host to localhost:${KAFKA_HOST_PORT:-19092}"
reply=$(podman run --rm --no-healthcheck --network host \
          -e LETHE_BOOTSTRAP_SERVERS="localhost:${KAFKA_HOST_PORT:-19092}" \
          -e LETHE_REGISTRY_URL="http://localhost:${REGISTRY_HOST_PORT:-18080}/apis/ccompat/v7" \
          "$LETHE_IMAGE" request --model "$MODEL" --class Shirt --requested-by smoke-test 2>"$WORK/request.err") \
  || fail "lethe request: $(tail -5 "$WORK/request.err")"
NEW_VERSION=$(echo "$reply" | grep -o '"version": *[0-9]*' | head -1 | grep -o '[0-9]*$')
[ -n "$NEW_VERSION" ] || fail "no model version came back: $reply"
[ "$NEW_VERSION" -gt "$BASE_VERSION" ] || fail "version $NEW_VERSION is not after the base's $BASE_VERSION"
say "model version $NEW_VERSION emitted (base was $BASE_VERSION)"

# --- 5. both replicas read it and predict with it ----------------------------------------------
new_loaded() { for r in serve-1 serve-2; do [ "$(version_of "$r")" = "$NEW_VERSION" ] || return 1; done; }
wait_until 180 "both serve replicas swapped in version $NEW_VERSION" new_loaded
# A real test image (the first of Fashion-MNIST's test set: 784 raw bytes after the 16-byte IDX header).
SAMPLE="$WORK/sample.raw"
(set +o pipefail; gzip -dc /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz 2>/dev/null | head -c 800 | tail -c 784 > "$SAMPLE")
[ "$(stat -c %s "$SAMPLE")" = 784 ] || head -c 784 /dev/zero > "$SAMPLE"
for r in serve-1 serve-2; do
  p=$(podman exec -i "$(container "$r")" curl -fsS --max-time 30 -X POST --data-binary @- http://127.0.0.1:8080/predict < "$SAMPLE") \
    || fail "$r: POST /predict failed"
  echo "$p" | grep -q "\"version\" *: *$NEW_VERSION[,}]" || fail "$r answered with another version: $p"
  say "$r: /predict answered with version $NEW_VERSION: $(echo "$p" | grep -o '"label" *: *"[^"]*"')"
done

# --- 5b. the artifacts are in S3, and replay reads them back from there ------------------------
# The replicas share no volume with the processor: they read the version's weights from the s3
# service. Count the objects the store wrote (s3proxy's filesystem backend: BASEDIR/BUCKET/KEY).
objects=$(podman exec "$(container s3)" sh -c 'find /data -type f -path "*/lethe/sha256/*" | wc -l' 2>/dev/null || echo 0)
[ "$objects" -ge 2 ] || fail "expected the base and the new version's artifacts in the s3 bucket, found $objects objects"
say "the s3 bucket holds $objects artifact objects"
replay=$(podman exec "$(container processor)" /opt/lethe/bin/lethe-entrypoint replay --json 2>"$WORK/replay.err") \
  || fail "lethe replay against the S3 artifacts: $(tail -5 "$WORK/replay.err") $replay"
echo "$replay" | grep -q '"mismatches": *0[,}]' || fail "replay found mismatches: $replay"
say "replay from the S3 artifacts: $(echo "$replay" | grep -o '"versions_checked": *[0-9]*'), 0 mismatches"
if grep -q "${LETHE_S3_SECRET_KEY:-lethe-local-secret}" "$WORK/replay.err" \
   || podman logs "$(container processor)" 2>&1 | grep -q "${LETHE_S3_SECRET_KEY:-lethe-local-secret}"; then
  fail "the S3 secret key appears in a log"
fi

# --- 6. operability endpoints (need the ops branch's HTTP server) --------------------------------
if [ "${LETHE_SMOKE_HEALTH:-1}" = 1 ]; then
  for path in /health/live /health/ready /metrics; do
    curl -fsS --max-time 10 "http://localhost:${PROCESSOR_HOST_PORT:-19400}$path" >/dev/null \
      || fail "processor $path on the published port ${PROCESSOR_HOST_PORT:-19400}"
    curl -fsS --max-time 10 "http://localhost:${SERVE_1_HOST_PORT:-18081}$path" >/dev/null \
      || fail "serve-1 $path on the published port ${SERVE_1_HOST_PORT:-18081}"
  done
  metrics=$(curl -fsS "http://localhost:${PROCESSOR_HOST_PORT:-19400}/metrics")
  echo "$metrics" | grep -q '^lethe_' || fail "no lethe_* series in /metrics"
  ! echo "$metrics" | grep -q "${LETHE_S3_SECRET_KEY:-lethe-local-secret}" || fail "the S3 secret key appears in /metrics"
  say "health and metrics endpoints answer on the published ports"
else
  say "health/metrics checks skipped (LETHE_SMOKE_HEALTH=0)"
fi
say "PASSED in $((SECONDS - START)) s"
