#!/usr/bin/env bash
# Coordination — run every test with one command:
#   ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Adjacency]
# Installs what is missing (PostGIS, chromium), restores once, builds, and runs all tests against a
# private PostGIS cluster the tests start themselves (.data/pg-test, port 55433) and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prereqs.sh

ensure_prereqs test
restore_solution
echo "==> building"
dotnet build Coordination.sln --no-restore --nologo -v quiet -clp:ErrorsOnly
mkdir -p .data
echo "==> testing"
set +e
dotnet test Coordination.sln --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee .data/test-output.log
status=${PIPESTATUS[0]}
set -e
# One plain closing line: "N passed, N failed, N skipped".
grep -hE "^(Passed|Failed)! +- " .data/test-output.log | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'
exit "$status"
