#!/usr/bin/env bash
# Coordination — run everything with one command:
#   ./run.sh
# Installs what is missing (PostGIS from Debian), builds, starts a private PostgreSQL+PostGIS cluster
# (in .data/pg, run as the unprivileged 'postgres' user), applies migrations, imports the nationwide
# commune boundaries if they are not loaded yet, then serves the API and the web map. Ctrl-C stops it all.
#
# Settings (environment):
#   API_PORT (5080)  WEB_PORT (5081)  HOST (127.0.0.1; 0.0.0.0 to serve the office LAN)
#   EmbeddedDatabase__Port (55432)    EmbeddedDatabase__DataDirectory (.data/pg)
#   ConnectionStrings__Coordination   use this external PostGIS instead of the embedded cluster
#   Geo__CommunesFile                 boundary file to seed (default geo/data/communes-2025.geojson.gz)
#   Admin__UserName / Admin__Password first administrator (default 'admin' with a generated password printed once)
#   DEMO=1                            demo mode: also create the Nghệ An demo users listed in README.md
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prereqs.sh

API_PORT=${API_PORT:-5080}
WEB_PORT=${WEB_PORT:-5081}
HOST=${HOST:-127.0.0.1}
CONFIG=${CONFIG:-Release}

ensure_prereqs run
restore_solution
echo "==> building ($CONFIG)"
dotnet build Coordination.sln -c "$CONFIG" --no-restore --nologo -v quiet -clp:ErrorsOnly

api_pid=""; web_pid=""
stop() {   # $1 = exit status to keep
  trap - INT TERM EXIT
  trap '' PIPE   # Ctrl-C may have closed the pipe we print to (./run.sh | tee …): stop the children regardless
  set +e
  [ -n "$web_pid$api_pid" ] && printf '\n==> stopping\n' 2>/dev/null
  [ -n "$web_pid" ] && kill -TERM "$web_pid" 2>/dev/null || true
  # The API stops the database cluster it started when it shuts down.
  [ -n "$api_pid" ] && kill -TERM "$api_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  exit "$1"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

[ "${DEMO:-0}" = 1 ] && export Demo__Users=true
echo "==> starting the API (first run: creates the database and imports 3,321 communes)"
dotnet "Coordination.Api/bin/$CONFIG/net10.0/Coordination.Api.dll" --urls "http://$HOST:$API_PORT" \
  --contentRoot "$PWD/Coordination.Api" &
api_pid=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$API_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { echo "the API exited during start-up (see above)" >&2; api_pid=""; exit 1; }
  sleep 1
done

Api__BaseUrl="http://127.0.0.1:$API_PORT" dotnet "Coordination.Web/bin/$CONFIG/net10.0/Coordination.Web.dll" \
  --urls "http://$HOST:$WEB_PORT" --contentRoot "$PWD/Coordination.Web" &
web_pid=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$WEB_PORT/" >/dev/null 2>&1 && break; sleep 1; done

cat <<MSG

  Coordination is running — Ctrl-C stops everything (the database included).
    Web map        http://$HOST:$WEB_PORT/
    API            http://$HOST:$API_PORT/api/provinces
    API reference  http://$HOST:$API_PORT/docs
    OpenAPI        http://$HOST:$API_PORT/openapi/v1.json

MSG
wait
