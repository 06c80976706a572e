#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the ledger tests: Debian's server binaries, a data folder
# under a temporary directory, a Unix socket and a local TCP port, no password (trust on
# loopback only). Nothing outside the folder is touched.
#
#   eval "$(bash scripts/postgres.sh start)"   prints DCC_TEST_POSTGRES_URL=... and PGDIR=...
#   bash scripts/postgres.sh stop "$PGDIR"
set -euo pipefail
cmd="${1:-start}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ]; then
    echo "postgres.sh: no PostgreSQL server binaries (bash scripts/bootstrap.sh postgres)" >&2
    exit 2
fi
as_owner() {
    # initdb and postgres refuse to run as root: use the postgres account Debian creates.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    dir="$(mktemp -d /tmp/dcc-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="${DCC_PG_PORT:-$((20000 + RANDOM % 20000))}"
    as_owner "$bin/initdb" -D "$dir/data" -U dcc --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null || {
        cat "$dir/server.log" >&2
        exit 1
    }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U dcc ledger
    echo "export DCC_TEST_POSTGRES_URL=postgres://dcc@127.0.0.1:$port/ledger PGDIR=$dir"
    ;;
stop)
    dir="${2:?postgres.sh stop DIR}"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "postgres.sh: start | stop DIR" >&2
    exit 2
    ;;
esac
