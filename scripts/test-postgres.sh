#!/usr/bin/env bash
# A throwaway PostgreSQL server for the SQL export's tests, on a Unix
# socket only (no TCP port), in a directory of its own.
#
#   scripts/test-postgres.sh start DIR   # prints the socket directory
#   export LEADSCORE_PGHOST=DIR          # what the tests read
#   scripts/test-postgres.sh stop DIR
#
# The server refuses to run as root, so as root it runs as the postgres
# user. Needs Debian's postgresql package.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory for the server}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -c listen_addresses=''" -l "$dir/server.log" -w start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    echo "$dir"
    ;;
stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
