#!/usr/bin/env bash
# Fails (exit 1) when a C++ file of the repository is not formatted as .clang-format says, and
# names each one; `make format` fixes them. Checks the files git knows (tracked or added) plus
# untracked ones not ignored, so a new file is checked before its first commit.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' |
  while read -r file; do [ -f "$file" ] && echo "$file"; done)
unformatted=()
for file in "${files[@]}"; do
  if ! clang-format -style=file --dry-run --Werror "$file" >/dev/null 2>&1; then
    unformatted+=("$file")
  fi
done
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "check-format: ${#unformatted[@]} file(s) not formatted (run \`make format\`):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
