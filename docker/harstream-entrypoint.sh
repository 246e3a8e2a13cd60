#!/usr/bin/env bash
# The container's entrypoint, the image's equivalent of ./harstream: runs one module's main class with
# that module's classpath (/opt/harstream/<module>/lib/*: the module jar plus its runtime dependencies).
#
#   harstream train      [trainer options]       io.harstream.trainer.TrainCommand
#   harstream stream-app [stream-app options]    io.harstream.streamapp.StreamApp
#   harstream simulate   [simulator options]     io.harstream.simulator.SimulateCommand
#   harstream models     [publish|list|...]      io.harstream.registry.ModelsCommand
#   harstream bench-inference [options]          io.harstream.bench.InferenceBenchmark
#   harstream auto-train                         docker-compose's trainer: pick the data, train once
#   harstream fetch-wisdm [DEST_DIR]             download and check the official WISDM v1.1 file
#   harstream <any other command>                run it (e.g. bash)
#
# JAVA_OPTS adds JVM flags; JAVA_TOOL_OPTIONS (set in the image) holds the container memory flags.
set -euo pipefail

APP_HOME="${HARSTREAM_HOME:-/opt/harstream}"

run_module() {
  local module="$1" main="$2"
  shift 2
  if [ ! -d "$APP_HOME/$module/lib" ]; then
    echo "harstream: this image has no '$module' module (was it in the reactor when the image was built?)" >&2
    exit 2
  fi
  # --add-modules: the fast LSTM inference path and the trainer's backprop use the incubator Vector API (one
  # warning line at startup).
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  exec java --add-modules jdk.incubator.vector -Djava.awt.headless=true ${JAVA_OPTS:-} -cp "$APP_HOME/$module/lib/*" "$main" "$@"
}

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

# docker-compose's one-shot trainer. Writes the bundle (and the evaluation and test set) into
# HARSTREAM_BUNDLE_DIR, once: a later start finds model.json there and exits 0 (HARSTREAM_RETRAIN=1
# trains again). Data, first match wins:
#   HARSTREAM_DATA=synthetic            the built-in deterministic generator
#   HARSTREAM_DATA=<path>               that file or directory
#   /data/WISDM_ar_v1.1_raw.txt[.gz]    the WISDM v1.1 raw file, mounted from ./data
#   /data/data_*_accel_phone.txt[.gz]   WISDM 2019 phone accelerometer files, mounted from ./data
#   otherwise                           the official v1.1 archive, downloaded and count-checked
#                                       (fetch-wisdm.sh) into HARSTREAM_CACHE_DIR
# HARSTREAM_TRAIN_ARGS adds trainer options (e.g. "--epochs 15 --batch-size 256").
# With HARSTREAM_PUBLISH_BOOTSTRAP (host:port), the bundle is then published to the models topic, as
# HARSTREAM_PUBLISH_ROLE (default candidate): the stream-apps classify with it in the shadow of the active model.
auto_train() {
  local out="${HARSTREAM_BUNDLE_DIR:-/bundle}"
  local mounted="${HARSTREAM_DATA_DIR:-/data}"
  local cache="${HARSTREAM_CACHE_DIR:-/cache}"
  local data="${HARSTREAM_DATA:-auto}"
  local source

  if [ -f "$out/model.json" ] && [ "${HARSTREAM_RETRAIN:-0}" != 1 ]; then
    echo "harstream: $out already holds a model bundle; not training again (HARSTREAM_RETRAIN=1 to retrain)" >&2
    publish_trained "$out"
    exit 0
  fi

  case "$data" in
    synthetic) source=synthetic ;;
    auto)
      if [ -f "$mounted/WISDM_ar_v1.1_raw.txt" ]; then
        source="$mounted/WISDM_ar_v1.1_raw.txt"
      elif [ -f "$mounted/WISDM_ar_v1.1_raw.txt.gz" ]; then
        source="$mounted/WISDM_ar_v1.1_raw.txt.gz"
      elif compgen -G "$mounted/data_*_accel_phone.txt*" >/dev/null; then
        source="$mounted"
      else
        echo "harstream: no dataset in $mounted; fetching the official WISDM v1.1 archive" >&2
        fetch-wisdm.sh "$cache"
        source="$cache/WISDM_ar_v1.1_raw.txt"
      fi
      ;;
    *) source="$data" ;;
  esac

  echo "harstream: training on $source into $out" >&2
  # shellcheck disable=SC2086 # HARSTREAM_TRAIN_ARGS is a list of options
  (run_module trainer io.harstream.trainer.TrainCommand --data "$source" --out "$out" ${HARSTREAM_TRAIN_ARGS:-})
  publish_trained "$out"
}

# Publishes the bundle in $1 to the models topic when HARSTREAM_PUBLISH_BOOTSTRAP names the broker.
publish_trained() {
  [ -n "${HARSTREAM_PUBLISH_BOOTSTRAP:-}" ] || return 0
  (run_module model-registry io.harstream.registry.ModelsCommand publish --model "$1" \
    -b "$HARSTREAM_PUBLISH_BOOTSTRAP" --role "${HARSTREAM_PUBLISH_ROLE:-candidate}")
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
  train) run_module trainer io.harstream.trainer.TrainCommand "$@" ;;
  bench-train) run_module bench io.harstream.bench.TrainingBenchmark "$@" ;;
  bench-inference) run_module bench io.harstream.bench.InferenceBenchmark "$@" ;;
  stream-app|stream) run_module stream-app io.harstream.streamapp.StreamApp "$@" ;;
  simulate|simulator) run_module simulator io.harstream.simulator.SimulateCommand "$@" ;;
  models) run_module model-registry io.harstream.registry.ModelsCommand "$@" ;;
  auto-train) auto_train ;;
  fetch-wisdm) exec fetch-wisdm.sh "$@" ;;
  -h|--help|help) usage ;;
  *) exec "$cmd" "$@" ;;
esac
