#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (../shared/notes/postgresql.md):
#
#   eval "$(scripts/pg-cluster.sh start)"   # exports PG_CLUSTER_DIR and PG_TEST_URL
#   scripts/pg-cluster.sh pause "$PG_CLUSTER_DIR"    # stop the server, keep its data (an outage)
#   scripts/pg-cluster.sh resume "$PG_CLUSTER_DIR"   # start it again on the same data and port
#   scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR"     # stop it and delete everything
#
# The cluster listens on 127.0.0.1 on a random free port, trusts local
# connections and runs with fsync off: it is for tests only, never for data.
# initdb and pg_ctl refuse to run as root, so as root they run as `postgres`.
set -euo pipefail

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bin="$candidate"
done
if [ -z "$bin" ] && command -v initdb >/dev/null 2>&1; then bin="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bin" ]; then
  echo "pg-cluster: PostgreSQL server binaries not found (apt-get install -y postgresql-15)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Start the server of the cluster in $1 on port $2 (the port is kept in $1/port for resume).
start_server() {
  as_owner "$bin/pg_ctl" -D "$1/data" -l "$1/log" -w start -o \
    "-c listen_addresses=127.0.0.1 -p $2 -k $1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    >/dev/null || {
    cat "$1/log" >&2
    exit 1
  }
}

# Written as a string: console.log colours a number when FORCE_COLOR is set (Playwright's workers).
free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

case "${1:-}" in
  start)
    dir="$(mktemp -d /tmp/gatehouse-pg-XXXXXX)"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$dir"
    port="$(free_port)"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    echo "$port" >"$dir/port"
    start_server "$dir" "$port"
    echo "export PG_CLUSTER_DIR='$dir'"
    echo "export PG_TEST_URL='postgresql://postgres@127.0.0.1:$port'"
    ;;
  pause)
    # A fast shutdown, as an operator's restart does: open sessions end with 57P01.
    dir="${2:-${PG_CLUSTER_DIR:-}}"
    [ -n "$dir" ] && [ -f "$dir/port" ] || { echo "pg-cluster: no cluster at '$dir'" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    dir="${2:-${PG_CLUSTER_DIR:-}}"
    [ -n "$dir" ] && [ -f "$dir/port" ] || { echo "pg-cluster: no cluster at '$dir'" >&2; exit 1; }
    start_server "$dir" "$(cat "$dir/port")"
    ;;
  stop)
    dir="${2:-${PG_CLUSTER_DIR:-}}"
    [ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | pause <dir> | resume <dir> | stop <dir>" >&2
    exit 2
    ;;
esac
