#!/usr/bin/env bash
# Starts Lethe in a container, sized to the container rather than to the node it runs on.
#
# A JVM and the native pools (OpenMP in PyTorch, OpenBLAS in ND4J) see the node's cores, not the
# container's CPU quota. With more busy threads than the quota allows, one throttled thread
# stalls the others at every parallel region: a request measured 10-15x slower on an
# oversubscribed machine (docs/operations.md, "Deploying"). So the pools get floor(quota) threads,
# at least one, unless the environment already says otherwise.
set -euo pipefail

# CPUs the container may use: cgroup v2 cpu.max, else cgroup v1 CFS quota, else the visible cores.
container_cpus() {
  local visible quota period
  visible=$(nproc)
  if [ -r /sys/fs/cgroup/cpu.max ]; then
    read -r quota period < /sys/fs/cgroup/cpu.max
  elif [ -r /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) period=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)
  else
    quota=max period=1
  fi
  if [ "$quota" = "max" ] || [ "$quota" -le 0 ] 2>/dev/null; then
    echo "$visible"; return
  fi
  local n=$(( quota / period ))
  [ "$n" -lt 1 ] && n=1
  [ "$n" -gt "$visible" ] && n=$visible
  echo "$n"
}

# The memory limit, for the start-up line only: the JVM reads the cgroup itself.
container_memory() {
  local m=max
  if [ -r /sys/fs/cgroup/memory.max ]; then m=$(cat /sys/fs/cgroup/memory.max)
  elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then m=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
  fi
  case "$m" in max|9223372036854771712) echo "none" ;; *) echo "$(( m / 1048576 )) MiB" ;; esac
}

CPUS=${LETHE_CPUS:-$(container_cpus)}
# Lethe sizes its native pools itself from the same quota, and uses fewer threads while other
# processes keep the CPUs busy (docs/operations.md, "Native threads and CPU contention"). An
# OMP_NUM_THREADS set by the operator would fix the count, so "auto" only when there is none.
if [ -z "${OMP_NUM_THREADS:-}" ] && [ -z "${LETHE_NATIVE_THREADS:-}" ]; then
  export LETHE_NATIVE_THREADS=${LETHE_CPUS:-auto}
fi
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$CPUS}
export MKL_NUM_THREADS=${MKL_NUM_THREADS:-$OMP_NUM_THREADS}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-$OMP_NUM_THREADS}

# ND4J's bundled OpenBLAS picks a slow or silently wrong kernel on AVX-512 CPUs; Haswell's is
# correct and fast there (the same rule as bin/lethe).
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -q avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=Haswell
fi

# Tensors live off-heap (PyTorch, ND4J): the heap gets a share of the limit, not all of it.
HEAP_PERCENT=${LETHE_HEAP_PERCENT:-40}
MAIN=${LETHE_MAIN:-dev.lethe.cli.Main}
CLASSPATH_ALL="${LETHE_CLASSPATH}${LETHE_EXTRA_CLASSPATH:+:$LETHE_EXTRA_CLASSPATH}"

echo "lethe-entrypoint: cpus=$CPUS (threads: omp=$OMP_NUM_THREADS openblas=$OPENBLAS_NUM_THREADS)" \
     "memory limit=$(container_memory) heap=${HEAP_PERCENT}% openblas_coretype=${OPENBLAS_CORETYPE:-default}" \
     "native_threads=${LETHE_NATIVE_THREADS:-fixed by OMP_NUM_THREADS}" >&2

# LETHE_JAVA_OPTS comes last so that an operator's flag wins over these defaults.
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage="$HEAP_PERCENT" -XX:ActiveProcessorCount="$CPUS" -XX:+ExitOnOutOfMemoryError \
  -Dai.djl.offline=true -Djava.awt.headless=true \
  -Dorg.bytedeco.javacpp.cachedir="${LETHE_JAVACPP_CACHE:-/opt/lethe/javacpp}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${LETHE_LOG_LEVEL:-warn}" \
  ${LETHE_JAVA_OPTS:-} -cp "$CLASSPATH_ALL" "$MAIN" "$@"
