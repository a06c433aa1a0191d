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

cleanup() {
  [ -n "${daemon_pid:-}" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
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
  README.md has the full tour.

MSG
"$root/build/release/daemon/hubsyncd" &
daemon_pid=$!
wait "$daemon_pid"
