#!/usr/bin/env bash
# Installs the Debian 12 packages Pitwall needs. Idempotent and quiet: packages already
# present are skipped, so a second run costs one dpkg query.
#   install-deps.sh          build + run (Qt 6.4, yaml-cpp, libpq, OpenSSL, QCustomPlot)
#   install-deps.sh --test   also what the test suite drives for real (PostgreSQL, promtool, ...)
set -euo pipefail

build_pkgs=(
  cmake g++ make pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
  libqt6sql6-sqlite libqt6sql6-psql qt6-qpa-plugins libqt6svg6
  libqcustomplot-dev libyaml-cpp-dev libpq-dev libssl-dev
  fonts-dejavu-core
)
test_pkgs=(
  postgresql postgresql-client prometheus curl procps psmisc
  dpkg-dev file desktop-file-utils appstream xvfb xauth wrk systemd
  ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base util-linux passwd
  yt-dlp aria2 ngircd
)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_pkgs[@]}")
  # Node.js runs the relay's outside-in protocol test (tests/external/relay-client); a machine
  # that already has node and npm (another packaging of Node.js) keeps its own.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then want+=(nodejs npm); fi
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
