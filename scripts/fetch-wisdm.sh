#!/usr/bin/env bash
# Downloads the official WISDM v1.1 archive (WISDM Lab, Fordham University), extracts the raw
# accelerometer file and checks it before handing it over.
#
#   scripts/fetch-wisdm.sh [DEST_DIR]      -> DEST_DIR/WISDM_ar_v1.1_raw.txt   (DEST_DIR default: ./data)
#   scripts/fetch-wisdm.sh --check FILE    only run the count check on an existing raw file
#
# The WISDM Lab publishes no checksum. What it does publish (dataset page and the archive's readme) are
# the counts of the raw file: 1,098,207 examples, of which Walking 424,400, Jogging 342,177,
# Upstairs 122,869, Downstairs 100,427, Sitting 59,939, Standing 48,395. This script refuses the
# download unless the extracted file has exactly those counts.
#
# How the counts are made: one example = one record "user,activity,timestamp,x,y,z". The raw file has
# several records on some lines, lines without the ";" terminator and doubled ";", so records are
# split on ";" AND on newlines, blank records are dropped, and each record is counted under its
# second comma-separated field (the activity), whatever its other fields hold (a record with a missing
# axis is still an example of its activity). The published class counts add up to the published total.
# If the official file ever gives other numbers, the message prints the counts this script found; set
# the WISDM_EXPECTED_* variables below to accept them knowingly.
#
# Checks, in order; any failure prints one clear line and exits 1, leaving DEST_DIR untouched:
#   download completes (curl, else wget) -> gzip integrity (a truncated archive fails here) ->
#   optional sha256 pin (WISDM_SHA256) -> tar extraction -> WISDM_ar_v1.1_raw.txt present ->
#   per-activity and total counts. Only then is the file moved into DEST_DIR.
#
# Environment:
#   WISDM_URL                 archive URL (default: the WISDM Lab's WISDM_ar_latest.tar.gz)
#   WISDM_SHA256              optional: the archive's sha256 must equal it (print it once with a trusted
#                             download, then pin it)
#   WISDM_EXPECTED_TOTAL      default 1098207
#   WISDM_EXPECTED_WALKING    default 424400       WISDM_EXPECTED_JOGGING     default 342177
#   WISDM_EXPECTED_UPSTAIRS   default 122869       WISDM_EXPECTED_DOWNSTAIRS  default 100427
#   WISDM_EXPECTED_SITTING    default 59939        WISDM_EXPECTED_STANDING    default 48395
#   WISDM_FORCE=1             download again even if DEST_DIR already holds a file that passes the check
#
# Exit codes: 0 file in place and checked; 1 download or check failed; 2 usage error.
set -euo pipefail

WISDM_URL="${WISDM_URL:-https://www.cis.fordham.edu/wisdm/includes/datasets/latest/WISDM_ar_latest.tar.gz}"
RAW_NAME="WISDM_ar_v1.1_raw.txt"
ACTIVITIES=(Walking Jogging Upstairs Downstairs Sitting Standing)

expected_total="${WISDM_EXPECTED_TOTAL:-1098207}"
# (A function, not an associative array: macOS still ships bash 3.2.)
expected_count() {
  case "$1" in
    Walking) echo "${WISDM_EXPECTED_WALKING:-424400}" ;;
    Jogging) echo "${WISDM_EXPECTED_JOGGING:-342177}" ;;
    Upstairs) echo "${WISDM_EXPECTED_UPSTAIRS:-122869}" ;;
    Downstairs) echo "${WISDM_EXPECTED_DOWNSTAIRS:-100427}" ;;
    Sitting) echo "${WISDM_EXPECTED_SITTING:-59939}" ;;
    Standing) echo "${WISDM_EXPECTED_STANDING:-48395}" ;;
  esac
}

say() { echo "fetch-wisdm: $*" >&2; }
fail() { say "REFUSED: $*"; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Counts records (split on ';' and newlines, blank ones dropped) by activity, then compares with the
# expected counts. Prints a table on stderr; returns 0 when everything matches.
check_counts() {
  local file="$1"
  [ -s "$file" ] || { say "$file is missing or empty"; return 1; }
  local counts
  # ';' becomes a newline, so every record is a line of its own (portable: no regex RS needed).
  counts="$(LC_ALL=C tr ';' '\n' <"$file" | LC_ALL=C awk '
    {
      rec = $0
      gsub(/^[ \t\r]+|[ \t\r]+$/, "", rec)
      if (rec == "") next
      n = split(rec, f, ",")
      act = (n >= 2) ? f[2] : ""
      gsub(/^[ \t]+|[ \t]+$/, "", act)
      if (act == "") act = "(none)"
      count[act]++
      total++
    }
    END {
      printf "TOTAL %d\n", total
      for (a in count) printf "%s %d\n", a, count[a]
    }')"

  local ok=0 name got want
  got="$(awk '$1 == "TOTAL" { print $2 }' <<<"$counts")"
  say "record counts of $(basename "$file") (records split on ';' and newlines, blank ones dropped):"
  for name in "${ACTIVITIES[@]}"; do
    want="$(expected_count "$name")"
    got_n="$(awk -v a="$name" '$1 == a { print $2 }' <<<"$counts")"
    got_n="${got_n:-0}"
    if [ "$got_n" = "$want" ]; then
      say "  $(printf '%-11s %8s  (expected %s)  ok' "$name" "$got_n" "$want")"
    else
      say "  $(printf '%-11s %8s  (expected %s)  MISMATCH' "$name" "$got_n" "$want")"
      ok=1
    fi
  done
  # Activities the readme does not list (a corrupt or different file).
  local others
  others="$(awk '$1 != "TOTAL" { print }' <<<"$counts" | while read -r a n; do
    case " ${ACTIVITIES[*]} " in *" $a "*) ;; *) echo "$a=$n" ;; esac
  done | tr '\n' ' ')"
  if [ -n "$others" ]; then
    say "  unexpected activity labels: $others"
    ok=1
  fi
  if [ "${got:-0}" = "$expected_total" ]; then
    say "  $(printf '%-11s %8s  (expected %s)  ok' total "${got:-0}" "$expected_total")"
  else
    say "  $(printf '%-11s %8s  (expected %s)  MISMATCH' total "${got:-0}" "$expected_total")"
    ok=1
  fi
  return "$ok"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  else
    shasum -a 256 "$1" | awk '{ print $1 }'
  fi
}

download() {
  local url="$1" out="$2"
  if command -v curl >/dev/null 2>&1; then
    curl --fail --location --silent --show-error --retry 3 --retry-delay 2 --connect-timeout 30 --max-time 1800 \
      --output "$out" "$url"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --timeout=30 --output-document="$out" "$url"
  else
    say "neither curl nor wget is installed"
    return 1
  fi
}

# ---- arguments --------------------------------------------------------------------------------------
case "${1:-}" in
  -h|--help) usage ;;
  --check)
    [ $# -eq 2 ] || usage
    if check_counts "$2"; then say "OK: $2 matches the published counts"; exit 0; fi
    fail "$2 does not match the published WISDM v1.1 counts (see above)"
    ;;
  -*) say "unknown option '$1'"; usage ;;
esac
[ $# -le 1 ] || usage
dest="${1:-./data}"
mkdir -p "$dest" || fail "cannot create $dest"
target="$dest/$RAW_NAME"

if [ -f "$target" ] && [ "${WISDM_FORCE:-0}" != 1 ]; then
  say "$target already exists; checking it"
  if check_counts "$target"; then say "OK: $target (already there, counts match)"; exit 0; fi
  fail "$target exists but does not match the published counts; remove it (or set WISDM_FORCE=1) to download again"
fi

# Work inside DEST so the final move is a rename on the same file system.
work="$(mktemp -d "$dest/.fetch-wisdm.XXXXXX")" || fail "cannot create a temporary directory in $dest"
trap 'rm -rf "$work"' EXIT

archive="$work/WISDM_ar_latest.tar.gz"
say "downloading $WISDM_URL"
download "$WISDM_URL" "$archive" || fail "download of $WISDM_URL failed"
[ -s "$archive" ] || fail "download of $WISDM_URL gave an empty file"
say "downloaded $(wc -c <"$archive" | tr -d ' ') bytes, sha256 $(sha256_of "$archive")"

gzip -t "$archive" 2>"$work/gzip.err" \
  || fail "the archive is truncated or corrupt: $(tr '\n' ' ' <"$work/gzip.err")"

if [ -n "${WISDM_SHA256:-}" ]; then
  actual_sha="$(sha256_of "$archive")"
  [ "$actual_sha" = "$(tr 'A-F' 'a-f' <<<"$WISDM_SHA256")" ] \
    || fail "archive sha256 $actual_sha differs from WISDM_SHA256=$WISDM_SHA256"
  say "archive sha256 matches WISDM_SHA256"
fi

mkdir -p "$work/x"
tar -xzf "$archive" -C "$work/x" 2>"$work/tar.err" \
  || fail "the archive cannot be extracted: $(tr '\n' ' ' <"$work/tar.err")"

raw="$(find "$work/x" -type f -name "$RAW_NAME" | head -n 1)"
[ -n "$raw" ] || fail "the archive holds no $RAW_NAME"

check_counts "$raw" || fail "$RAW_NAME in $WISDM_URL does not match the published WISDM v1.1 counts (see above)"

mv -f "$raw" "$target"
say "OK: $target ($(wc -c <"$target" | tr -d ' ') bytes, sha256 $(sha256_of "$target"))"
