#!/usr/bin/env bash
# Builds each fuzz target's seed corpus and dictionary in OUT_DIR (default: build-fuzz/fuzz-seeds
# in the repository, where scripts/run-fuzz.sh puts them too):
#   OUT_DIR/<target>/       the seeds: fuzz/seeds/<target>/ plus, where they fit, the shared
#                           fixtures (../shared or $RAWFEED_SHARED_DIR) and the repo's own data
#   OUT_DIR/<target>.dict   fuzz/dicts/<target>.dict, with the JSON tokens for JSON targets
# Nothing from ../shared is copied into the repository; a missing shared folder only means
# fewer seeds (with a warning). Usage: fuzz/seed-corpora.sh [OUT_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/build-fuzz/fuzz-seeds}"
shared="${RAWFEED_SHARED_DIR:-$root/../shared}"

# One target per fuzz/targets/<target>.cpp.
targets=()
for source in "$here"/targets/*.cpp; do
  targets+=("$(basename "$source" .cpp)")
done
json_targets=" yahoo_chart trigger_event chunk_message sqs_json universe aws_credentials "

if [[ ! -d "$shared" ]]; then
  echo "seed-corpora: no shared fixtures at $shared (set RAWFEED_SHARED_DIR); committed seeds only" >&2
fi

# copy_seeds TARGET FILE...: each file as <prefix>-<name>, so same-named files from different
# folders do not overwrite each other; missing files (an unmatched glob) are skipped.
copy_seeds() {
  local target="$1" prefix="$2"
  shift 2
  local file
  for file in "$@"; do
    [[ -f "$file" ]] || continue
    cp "$file" "$out/$target/$prefix-$(basename "$file")"
  done
}

for target in "${targets[@]}"; do
  rm -rf "${out:?}/$target"
  mkdir -p "$out/$target"
  copy_seeds "$target" seed "$here/seeds/$target"/*
  : >"$out/$target.dict"
  if [[ "$json_targets" == *" $target "* ]]; then
    cat "$here/dicts/json.dict" >>"$out/$target.dict"
  fi
  if [[ -f "$here/dicts/$target.dict" ]]; then
    cat "$here/dicts/$target.dict" >>"$out/$target.dict"
  fi
done

# Real chart responses (and 429 bodies), and the offline demo's recorded answers.
copy_seeds yahoo_chart shared "$shared"/fixtures/yahoo/*.json "$shared"/fixtures/yahoo/*.txt
copy_seeds yahoo_chart demo "$root"/demo/responses/*.json
# The sample configuration and universes.
copy_seeds config repo "$root"/config/*.toml
copy_seeds universe shared "$shared"/universes/*.json
copy_seeds universe repo "$root"/config/universes/*
# AWS's SigV4 test suite: every case's request.
if [[ -d "$shared/aws/aws-sig-v4-test-suite" ]]; then
  while IFS= read -r -d '' request; do
    copy_seeds sigv4 suite "$request"
  done < <(find "$shared/aws/aws-sig-v4-test-suite" -name '*.req' -print0)
fi

for target in "${targets[@]}"; do
  printf '%-16s %4d seeds\n' "$target" "$(find "$out/$target" -type f | wc -l)"
done
