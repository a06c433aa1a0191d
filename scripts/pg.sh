#!/usr/bin/env bash
# The project's own PostgreSQL cluster under .data/pg: state database "hubsync" and demo warehouse "warehouse".
#   scripts/pg.sh start   init (first time), start, create roles/databases, load demo data, write .data/env
#   scripts/pg.sh stop    stop the cluster
#   scripts/pg.sh status
# PostgreSQL refuses to run as root, so as root the cluster runs as the "postgres" user.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
data_root="$root/.data"
port="${HUBSYNC_PG_PORT:-55432}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "hubsync: PostgreSQL server binaries not found under /usr/lib/postgresql (run scripts/install-deps.sh)" >&2
  exit 1
fi

as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi

mkdir -p "$data_root"
chmod 700 "$data_root"
cluster="$data_root/pg"
# The postgres user must reach the cluster's folder; when the checkout sits under a private folder (/root/...),
# keep the cluster in /var/lib/hubsync and link it here.
if [ "$(id -u)" -eq 0 ] && [ ! -e "$cluster" ]; then
  chmod 711 "$data_root"
  if ! runuser -u postgres -- test -x "$data_root"; then
    elsewhere="/var/lib/hubsync/pg-$(echo -n "$root" | md5sum | cut -c1-12)"
    mkdir -p "$elsewhere"
    ln -s "$elsewhere" "$cluster"
  fi
fi
mkdir -p "$cluster"
[ "$(id -u)" -eq 0 ] && chmod 711 "$data_root"
pgdata="$cluster/data"
sockdir="$cluster/run"
logfile="$cluster/postgres.log"
pwfile="$data_root/pg-superuser.password"
[ "$(id -u)" -eq 0 ] && chown postgres: "$cluster"

pg_running() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; }
psql_admin() { "${as_pg[@]}" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sockdir" -p "$port" -U postgres "$@"; }
secret() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
token() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

start() {
  [ -f "$pwfile" ] || (umask 077 && token 16 > "$pwfile")
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    echo "hubsync: initialising a PostgreSQL cluster in $pgdata"
    local tmp_pw; tmp_pw="$(mktemp)"
    cp "$pwfile" "$tmp_pw"; chmod 644 "$tmp_pw"
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -U postgres --pwfile="$tmp_pw" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$tmp_pw"
  fi
  "${as_pg[@]}" mkdir -p "$sockdir"
  if ! pg_running; then
    if ! "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -l "$logfile" -w -t 60 \
        -o "-p $port -k $sockdir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
      echo "hubsync: PostgreSQL did not start; its log says:" >&2
      tail -n 20 "$logfile" >&2 || true
      echo "hubsync: is port $port taken? set HUBSYNC_PG_PORT to use another" >&2
      exit 1
    fi
    echo "hubsync: PostgreSQL started on 127.0.0.1:$port"
  fi

  local env_file="$data_root/env"
  if [ ! -f "$env_file" ]; then
    (umask 077 && cat > "$env_file" <<ENV
HUBSYNC_STATE_PASSWORD=$(token 16)
HUBSYNC_SECRET_KEY=$(secret 32)
HUBSYNC_API_TOKENS=$(token 24)
ENV
)
  fi
  # shellcheck disable=SC1090
  . "$env_file"

  psql_admin -d postgres <<SQL
SELECT 'CREATE ROLE hubsync LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hubsync') \gexec
ALTER ROLE hubsync LOGIN PASSWORD '$HUBSYNC_STATE_PASSWORD';
SELECT 'CREATE DATABASE hubsync OWNER hubsync' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hubsync') \gexec
SELECT 'CREATE DATABASE warehouse' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'warehouse') \gexec
SQL
  if [ "$(psql_admin -d warehouse -tAc "SELECT to_regclass('demo.events') IS NOT NULL")" != "t" ] ||
     [ "${HUBSYNC_RELOAD_DEMO:-}" = "1" ]; then
    echo "hubsync: loading the demo warehouse (schema demo in database warehouse)"
    psql_admin -d warehouse < "$root/scripts/demo-warehouse.sql" >/dev/null
  fi

  local super_pw; super_pw="$(cat "$pwfile")"
  (umask 077 && cat > "$data_root/urls" <<URLS
HUBSYNC_DATABASE_URL=postgresql://hubsync:$HUBSYNC_STATE_PASSWORD@127.0.0.1:$port/hubsync
HUBSYNC_PG_ADMIN_URL=postgresql://postgres:$super_pw@127.0.0.1:$port/postgres
HUBSYNC_DEMO_WAREHOUSE_URL=postgresql://demo_reader:demo-reader-pw@127.0.0.1:$port/warehouse
URLS
)
}

stop() {
  if [ -f "$pgdata/PG_VERSION" ] && pg_running; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    echo "hubsync: PostgreSQL stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pg_running; then echo "running on 127.0.0.1:$port"; else echo "stopped"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
