#!/usr/bin/env bash
# One-shot job of the compose stack: makes sure the base model the processor registers exists in
# the shared models volume (and the dataset in the data volume), then exits 0.
#
# The processor (`lethe run --arch A`) registers $LETHE_HOME/models/A on start and trains it
# itself when it is missing; doing that here first keeps the processor's start short and lets
# the stack use a quick base model (LETHE_BASE_ARCH, LETHE_BASE_EPOCHS). A directory that
# already holds a manifest is kept: a restart never retrains.
set -euo pipefail
ARCH=${LETHE_BASE_ARCH:-mlp}
OUT="$LETHE_HOME/models/$ARCH"
FILES="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"

if [ ! -f "$LETHE_DATA/train-images-idx3-ubyte.gz" ]; then
  echo "prepare-base-model: Fashion-MNIST not in $LETHE_DATA: downloading it" >&2
  mkdir -p "$LETHE_DATA"
  for f in $FILES; do
    curl -fsSL --max-time 300 -o "$LETHE_DATA/$f.part" "${LETHE_DATA_URL:-http://fashion-mnist.s3-website.eu-central-1.amazonaws.com}/$f"
    mv "$LETHE_DATA/$f.part" "$LETHE_DATA/$f"
  done
fi

if [ -f "$OUT/manifest.json" ]; then
  echo "prepare-base-model: $OUT already holds a model; keeping it" >&2
  exit 0
fi
echo "prepare-base-model: training the $ARCH base model into $OUT" >&2
args=(train --arch "$ARCH" --out "$OUT")
[ -n "${LETHE_BASE_EPOCHS:-}" ] && args+=(--epochs "$LETHE_BASE_EPOCHS")
[ "${LETHE_BASE_TUNE:-false}" = "true" ] || args+=(--no-tune)
exec /opt/lethe/bin/lethe-entrypoint "${args[@]}"
