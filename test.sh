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
# The web client's own checks (seconds; node_modules is there after the build's npm ci): types, lint, unit tests.
echo "==> checking the web client (tsc, eslint, node --test)"
(cd Coordination.Web && npx --no-install tsc -p tsconfig.json && npx --no-install eslint . && node --test --test-reporter=dot tests/ \
  || { echo "web client checks failed (run: cd Coordination.Web && npm run verify)" >&2; exit 1; })
mkdir -p .data
echo "==> testing"
set +e
dotnet test Coordination.sln --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee .data/test-output.log
status=${PIPESTATUS[0]}
set -e
# One plain closing line, "N passed, N failed, N skipped", summed over the test assemblies.
awk '/^Total tests:/ {t += $3} /^ +Passed:/ {p += $2} /^ +Failed:/ {f += $2} /^ +Skipped:/ {s += $2}
     END {printf "%d passed, %d failed, %d skipped\n", p, f, s}' .data/test-output.log
if [ "$status" -eq 0 ] && ! grep -qE "^ +Passed: +[1-9]" .data/test-output.log; then
  echo "no test ran" >&2; status=1
fi
exit "$status"
