#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests.
#   pg-cluster.sh start|stop|status <dir> <port>
# start: initdb on first use (superuser "pitwall", trust auth on 127.0.0.1 and the socket in
# <dir>/socket), then start it listening on 127.0.0.1:<port>; starting a running cluster is a
# no-op. As root, initdb/pg_ctl run as the "postgres" system user (PostgreSQL refuses root).
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|status <dir> <port>" >&2
    exit 2
}

[[ $# -eq 3 ]] || usage
command=$1
dir=$2
port=$3
[[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) || {
    echo "$0: port '$port' is not in 1..65535" >&2
    exit 2
}

bindir=${PITWALL_PG_BINDIR:-/usr/lib/postgresql/15/bin}
[[ -x $bindir/pg_ctl ]] || {
    echo "$0: PostgreSQL binaries not found in $bindir (set PITWALL_PG_BINDIR)" >&2
    exit 1
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/data
socket=$dir/socket
log=$dir/postgres.log

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() {
    [[ -f $data/PG_VERSION ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case $command in
start)
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || {
            echo "$0: running as root needs the 'postgres' system user" >&2
            exit 1
        }
        chown -R postgres: "$dir"
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
        as_owner "$bindir/initdb" --pgdata="$data" --username=pitwall --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
        echo "include_if_exists = 'pitwall.conf'" >>"$data/postgresql.conf"
    fi
    if running; then
        exit 0
    fi
    as_owner mkdir -p "$socket"
    # Rewritten on every start so the same cluster can move to another port.
    as_owner tee "$data/pitwall.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null || {
        tail -n 20 "$log" >&2
        exit 1
    }
    ;;
stop)
    if running; then
        as_owner "$bindir/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null
    fi
    ;;
status)
    if running; then
        echo "running on 127.0.0.1:$port (data $data)"
    else
        echo "not running (data $data)"
        exit 3
    fi
    ;;
*)
    usage
    ;;
esac
