# Sourced by run.sh and test.sh: installs what a fresh Debian machine of this kind lacks.
# Needs root for apt-get (the machines this targets run as root); prints what it installs.

apt_updated=0
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "    not root: run 'sudo apt-get install -y ${missing[*]}' and try again" >&2
    return 1
  fi
  if [ $apt_updated -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_prereqs() {   # $1 = "run" or "test"
  command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet not on PATH)" >&2; return 1; }
  local pkgs=()
  # The embedded database: PostgreSQL 15 + PostGIS from Debian (skipped when an external database is configured).
  if [ -z "${ConnectionStrings__Coordination:-}" ] || [ "$1" = test ]; then
    pkgs+=(postgresql-15 postgresql-15-postgis-3)
  fi
  # The web front end's libraries come from npm at build time.
  command -v npm >/dev/null || pkgs+=(nodejs npm)
  # The map's label glyphs are built from DejaVu Sans (Coordination.Web/glyphs.mjs).
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || pkgs+=(fonts-dejavu-core)
  # Browser tests drive Debian's chromium (browser downloads do not work here).
  [ "$1" = test ] && pkgs+=(chromium)
  ensure_debian_packages "${pkgs[@]}"
}

# Restore NuGet packages once for the whole solution (not per project).
restore_solution() {
  echo "==> restoring NuGet packages"
  dotnet restore Coordination.sln --verbosity quiet
  dotnet tool restore >/dev/null 2>&1 || true
}
