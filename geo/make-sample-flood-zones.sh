#!/usr/bin/env bash
# Rebuilds geo/data/sample-flood-zones-nghe-an.geojson — the SAMPLE flood layer — from the approximate river
# centre lines in geo/sample/rivers-nghe-an.geojson, each buffered by its stated width (buffer_m) on each side,
# in PostGIS (UTM 48N metres). Uses the app's embedded database (started and stopped by the command).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Coordination.Api -c Release -v quiet -nologo >/dev/null
dotnet Coordination.Api/bin/Release/net10.0/Coordination.Api.dll sample-flood-zones \
  geo/sample/rivers-nghe-an.geojson geo/data/sample-flood-zones-nghe-an.geojson
