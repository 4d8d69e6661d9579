# shellcheck shell=bash
# Sourced by the scripts that drive a running Pitwall over its admin API (tests/bench/relay.sh,
# tests/bench/console.sh, tests/gui/screenshot.sh); they set $port to its HTTP port first.

# device TYPE ID -> "id=token" of a new device token, provisioned over the admin API. The id is
# the one the server answers: a forwarder's id is derived from its token (research §1.2).
device() {
  local reply
  # shellcheck disable=SC2154 # $port is the sourcing script's
  reply=$(curl -sf -X POST -H 'Content-Type: application/json' \
          -d "{\"device_type\":\"$1\",\"device_id\":\"$2\"}" \
          "http://127.0.0.1:$port/api/v1/admin/tokens")
  echo "$(sed -E 's/.*"device_id":"([^"]+)".*/\1/' <<<"$reply")=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$reply")"
}
