#!/usr/bin/env bash
# Rebuilds this folder from the WISDM 2019 phone-accelerometer files: trains with the arguments in
# train-args (everything else is the trainer's default: the default recipe, the user split of seed 42),
# keeps the files a user needs, compresses the test set and writes SHA256SUMS.
#
#   models/wisdm2019/rebuild.sh [DATA_DIR]     (relative to the repository root; default ../shared/data/wisdm-2019-phone-accel)
#
# Training repeats bit for bit with the same arguments and worker count; it takes about 5 minutes on two
# quiet cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# From the repository root, so that the bundle records the data path as given (no machine's absolute path).
cd "$root"
data="${1:-../shared/data/wisdm-2019-phone-accel}"
[ -d "$data" ] || { echo "rebuild.sh: no WISDM 2019 directory at $data (give it as the first argument)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2046 # train-args is a list of options
./harstream train --data "$data" $(cat "$here/train-args") --out "$out"
for f in model.zip model.json metrics.json report.html history.csv; do
  cp "$out/$f" "$here/$f"
done
gzip -9 -n -c "$out/test-set.txt" > "$here/test-set.txt.gz"
(cd "$here" && sha256sum model.zip model.json metrics.json report.html history.csv test-set.txt.gz README.md \
  train-args rebuild.sh > SHA256SUMS)
echo "rebuilt $here: $(grep -m1 -o '"testAccuracy" *: *[0-9.]*' "$here/metrics.json")"
