#!/usr/bin/env bash
# The worked example of docs/architectures.md, end to end: a CNN trained in PyTorch on an image
# folder becomes a Lethe model with its own data, is registered with a running processor, and
# a deletion request for one of its classes comes back as a model-version event.
#
#   docs/examples/bring-your-own/run.sh [WORK_DIR]      (default: a new temporary directory)
#
# Needs Debian's python3-torch and python3-torchvision, and Fashion-MNIST (dataset-fashion-mnist),
# which stands in for "your images": exported once as a folder of 3x32x32 PNGs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
WORK="${1:-$(mktemp -d)}"
LETHE="$ROOT/bin/lethe"
export LETHE_HOME="$WORK/home"
mkdir -p "$WORK"
cd "$WORK"

step() { printf '\n== %s\n' "$*" >&2; }

step "1. your images: an image folder (here Fashion-MNIST, padded to 32x32, three channels)"
[ -f images/lethe-data.json ] || "$LETHE" data export --pad 32 --channels 3 --out images

step "2. your network, trained in PyTorch, saved as safetensors"
[ -f my-cnn.safetensors ] || /usr/bin/python3 "$HERE/my_cnn.py" images my-cnn.safetensors --epochs "${EPOCHS:-2}"

# Tuning (the 75-point alpha grid for each class on the validation split) takes long on two
# cores; the example imports untuned, so its request uses the untuned default (docs/algorithm.md).
# TUNE=1 tunes at import; 'bin/lethe tune --model models/my-cnn --save' does it later.
step "3. import: weights checked against the description, evaluated on the model's own data"
rm -rf models/my-cnn
"$LETHE" import --spec "$HERE/my-cnn.json" --weights my-cnn.safetensors --data-spec images/lethe-data.json \
  --out models/my-cnn $([ "${TUNE:-0}" = 1 ] || echo --no-tune)

step "4. a processor (embedded Kafka and schema registry under \$LETHE_HOME)"
"$LETHE" run > run.log 2>&1 &
RUN=$!
trap 'kill $RUN 2>/dev/null; wait $RUN 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "is registered" run.log && break
  kill -0 $RUN 2>/dev/null || { cat run.log >&2; exit 1; }
  sleep 1
done

step "5. register the model: version 0"
"$LETHE" register --model models/my-cnn --model-id my-cnn | tee version-0.json

step "6. a deletion request: forget 'Trouser'; the new model-version event"
"$LETHE" request --model my-cnn --class Trouser | tee version-1.json
