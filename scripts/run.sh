#!/usr/bin/env bash
# `make run`: the local cluster is up (scripts/pg.sh start); start hubsyncd in the foreground with the embedded
# defaults. Ctrl-C stops hubsyncd and, if this script started it, PostgreSQL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
started_pg="${1:-0}"

set -a
# shellcheck disable=SC1091
. "$root/.data/env"
# shellcheck disable=SC1091
. "$root/.data/urls"
set +a
export HUBSYNC_LISTEN="${HUBSYNC_LISTEN:-127.0.0.1:8080}"
token="${HUBSYNC_API_TOKENS%%,*}"

# Without a real HubSpot token, the demo destination talks to the HubSpot emulator.
if [ -z "${HUBSPOT_TOKEN:-}" ]; then
  emulator_listen="${HUBSYNC_EMULATOR_LISTEN:-127.0.0.1:8090}"
  hubspot_token="pat-na1-demo-0000-0000-0000-000000000000"
  "$root/build/release/tests/emulator/hubspot-emulator" --listen "$emulator_listen" --token "$hubspot_token" \
    2> "$root/.data/emulator.log" &
  emulator_pid=$!
  export HUBSYNC_HUBSPOT_BASE_URL="http://$emulator_listen"
  hubspot_note="the HubSpot emulator on http://$emulator_listen (set HUBSPOT_TOKEN to use your real portal)"
  token_hint="$hubspot_token"
else
  hubspot_note="the real HubSpot (HUBSPOT_TOKEN is set)"
  token_hint='your $HUBSPOT_TOKEN' 
fi

cleanup() {
  [ -n "${daemon_pid:-}" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [ -n "${emulator_pid:-}" ] && kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  [ "$started_pg" = "1" ] && "$root/scripts/pg.sh" stop || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

cat <<MSG

  hubsyncd is starting on http://$HUBSYNC_LISTEN  (Ctrl-C stops it)

  API token:   $token
  Try:         export HUBSYNC_TOKEN=$token
               curl -s -H "Authorization: Bearer \$HUBSYNC_TOKEN" http://$HUBSYNC_LISTEN/v1/sources
  Demo warehouse source URL (database "warehouse", schema "demo"):
               postgresql://demo_reader:demo-reader-pw@127.0.0.1:${HUBSYNC_PG_PORT:-55432}/warehouse
  HubSpot:     $hubspot_note
  Destination private_app_token for the tour: $token_hint
  README.md has the full tour.

MSG
"$root/build/release/daemon/hubsyncd" &
daemon_pid=$!
wait "$daemon_pid"
