#!/usr/bin/env bash
# Builds, with podman, every image the compose stack names, from local sources only (no image
# registry needed): a debootstrapped Debian base, JRE/Maven bases on it, stand-ins for Kafka,
# Apicurio and s3proxy from their Maven Central artifacts, and the Lethe image from
# docker/Dockerfile with the Maven stage working on an overlay of the host's ~/.m2.
#
# Each image carries a fingerprint of its inputs and is rebuilt only when they change: builds
# are the heavy part on a small machine. Prints the image names as KEY=VALUE lines on stdout.
# Usage: docker/local-images.sh [debian|standins|lethe]...  (default: all three)
# Needs: podman (runc), debootstrap, mvn, a CONTAINERS_CONF as smoke-test.sh writes it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=${LETHE_IMAGES_WORK:-/var/tmp/lethe-images}
M2=${LETHE_M2:-$HOME/.m2}
mkdir -p "$WORK"
log() { echo "local-images: $*" >&2; }

DEBIAN=localhost/lethe-debian:bookworm
JRE=localhost/lethe-jre:17
MAVEN=localhost/lethe-maven:17
KAFKA=localhost/lethe-kafka:4.3.1
APICURIO=localhost/lethe-apicurio:2.6.13
S3PROXY=localhost/lethe-s3proxy:3.1.0
LETHE=localhost/lethe:dev

fingerprint() {  # a context directory and extra words -> one hash of contents and words
  local dir=$1; shift
  { tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf - . | sha256sum; echo "$*"; } \
    | sha256sum | cut -c1-16
}

# build_once IMAGE CONTEXT CONTAINERFILE [podman build args...]
build_once() {
  local image=$1 ctx=$2 file=$3; shift 3
  local fp have
  fp=$(fingerprint "$ctx" "$(cat "$file")" "$*")
  have=$(podman image inspect --format '{{index .Labels "lethe.fingerprint"}}' "$image" 2>/dev/null || true)
  if [ "$have" = "$fp" ]; then log "$image is up to date"; return; fi
  log "building $image ..."
  local t0=$SECONDS
  podman build -q --format docker --label "lethe.fingerprint=$fp" -t "$image" -f "$file" "$@" "$ctx" >/dev/null
  log "built $image in $((SECONDS - t0)) s"
}

debian_base() {
  podman image exists "$DEBIAN" && { log "$DEBIAN exists"; return; }
  # The mirror apt already uses, read at run time (never written into the repository).
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || { log "no Debian mirror found in apt's sources"; return 1; }
  log "debootstrapping $DEBIAN from the apt mirror (~1.5 min) ..."
  if [ ! -f "$WORK/rootfs/.complete" ]; then
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1
    touch "$WORK/rootfs/.complete"
  fi
  tar -C "$WORK/rootfs" --exclude=./.complete -c . | podman import - "$DEBIAN" >/dev/null
}

# mvn_copy GAV DIR: one artifact out of the local repository (downloaded into it if missing)
mvn_copy() {
  mvn -B -q -Dmaven.repo.local="$M2/repository" dependency:copy -Dartifact="$1" -DoutputDirectory="$2" -Dmdep.stripVersion=true >&2
}

standins() {
  local s="$ROOT/docker/standins" ctx
  build_once "$JRE" "$s/base" "$s/base/jre.Containerfile" --build-arg "BASE_IMAGE=$DEBIAN"
  build_once "$MAVEN" "$s/base" "$s/base/maven.Containerfile" --build-arg "BASE_IMAGE=$JRE"

  ctx="$WORK/ctx-kafka"; rm -rf "$ctx"; mkdir -p "$ctx/lib"
  cp "$s/kafka/kafka-start.sh" "$ctx/"
  mvn -B -q -f "$s/kafka/pom.xml" -Dmaven.repo.local="$M2/repository" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$ctx/lib" >&2
  build_once "$KAFKA" "$ctx" "$s/kafka/Containerfile" --build-arg "BASE_IMAGE=$JRE"

  ctx="$WORK/ctx-apicurio"
  if [ ! -d "$ctx/app" ]; then
    rm -rf "$ctx"; mkdir -p "$ctx"
    mvn_copy io.apicurio:apicurio-registry-app:2.6.13.Final:zip:all "$ctx"
    unzip -q "$ctx"/apicurio-registry-app*.zip -d "$ctx/unzipped" && rm "$ctx"/apicurio-registry-app*.zip
    mv "$(dirname "$(find "$ctx/unzipped" -name 'apicurio-registry-app-*-runner.jar' | head -1)")" "$ctx/app"
    rm -rf "$ctx/unzipped"
  fi
  build_once "$APICURIO" "$ctx" "$s/apicurio/Containerfile" --build-arg "BASE_IMAGE=$JRE"

  ctx="$WORK/ctx-s3proxy"
  if [ ! -f "$ctx/s3proxy.jar" ]; then
    rm -rf "$ctx"; mkdir -p "$ctx"
    mvn_copy org.gaul:s3proxy:3.1.0:jar:jar-with-dependencies "$ctx"
    mv "$ctx"/s3proxy*.jar "$ctx/s3proxy.jar"
  fi
  cp "$s/s3proxy/s3proxy-start.sh" "$ctx/"
  build_once "$S3PROXY" "$ctx" "$s/s3proxy/Containerfile" --build-arg "BASE_IMAGE=$JRE"
}

lethe_image() {
  # The build context is what docker/Dockerfile.dockerignore lets through, taken from the work
  # tree (committed or not), so the fingerprint changes exactly when the image would.
  local ctx="$WORK/ctx-lethe"
  rm -rf "$ctx"; mkdir -p "$ctx"
  (cd "$ROOT" && git ls-files -co --exclude-standard -- pom.xml schemas src/main docker/warmup \
      docker/entrypoint.sh docker/prepare-base-model.sh | tar -cf - -T -) | tar -C "$ctx" -xf -
  # The Maven stage reads the host's repository through an overlay (writes are thrown away) and
  # works offline; a fresh machine's repository is filled by resolving on the host first.
  [ -d "$M2/repository/ai/djl" ] || (cd "$ROOT" && mvn -B -q -Dmaven.repo.local="$M2/repository" dependency:go-offline >/dev/null)
  build_once "$LETHE" "$ctx" "$ROOT/docker/Dockerfile" \
    --build-arg "BUILD_IMAGE=$MAVEN" --build-arg "RUNTIME_IMAGE=$JRE" \
    --build-arg "MAVEN_REPO=/host-m2/repository" --build-arg "MAVEN_FLAGS=-o" \
    -v "$M2:/host-m2:O"
}

# Arguments pick stages (debian, standins, lethe; default all): the Testcontainers tests need
# only the stand-ins, not the Lethe image.
for stage in "${@:-debian standins lethe}"; do
  for s in $stage; do
    case "$s" in
      debian) debian_base ;;
      standins) debian_base; standins ;;
      lethe) lethe_image ;;
      *) log "unknown stage $s (debian, standins, lethe)"; exit 2 ;;
    esac
  done
done
cat <<OUT
KAFKA_IMAGE=$KAFKA
REGISTRY_IMAGE=$APICURIO
S3_IMAGE=$S3PROXY
LETHE_IMAGE=$LETHE
OUT
