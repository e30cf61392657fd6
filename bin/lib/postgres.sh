# shellcheck shell=bash
# A throwaway PostgreSQL server for tests: initdb in a temporary directory, a free port on
# 127.0.0.1, trust authentication, stopped and removed by alpha_prime_stop_postgres.
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user.
# Sourced, not executed. Sets ALPHA_PRIME_TEST_POSTGRES_URL.

alpha_prime_pg_bindir() {
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

alpha_prime_start_postgres() {
    local bindir
    bindir=$(alpha_prime_pg_bindir) || { echo "postgres: no initdb under /usr/lib/postgresql" >&2; return 1; }
    ALPHA_PRIME_PG_DIR=$(mktemp -d /tmp/alpha-prime-pg.XXXXXX)
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
        chown postgres "$ALPHA_PRIME_PG_DIR"
        as=(runuser -u postgres --)
    fi
    ALPHA_PRIME_PG_RUN=("${as[@]}")
    "${as[@]}" "$bindir/initdb" -D "$ALPHA_PRIME_PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$ALPHA_PRIME_PG_DIR/initdb.log" 2>&1 || {
        echo "postgres: initdb failed:" >&2; cat "$ALPHA_PRIME_PG_DIR/initdb.log" >&2; return 1; }
    local port _attempt
    for _attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$(( 20000 + (RANDOM % 20000) ))
        if "${as[@]}" "$bindir/pg_ctl" -D "$ALPHA_PRIME_PG_DIR/data" -l "$ALPHA_PRIME_PG_DIR/server.log" -w -t 60 \
            -o "-p $port -k $ALPHA_PRIME_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null 2>&1; then
            ALPHA_PRIME_PG_BINDIR=$bindir
            export ALPHA_PRIME_PG_PORT=$port
            "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres alpha_prime_test || return 1
            export ALPHA_PRIME_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/alpha_prime_test"
            echo "postgres: throwaway server on 127.0.0.1:$port ($ALPHA_PRIME_PG_DIR)" >&2
            return 0
        fi
    done
    echo "postgres: could not start a server; log:" >&2
    cat "$ALPHA_PRIME_PG_DIR/server.log" >&2 2>/dev/null
    return 1
}

alpha_prime_stop_postgres() {
    if [ -n "${ALPHA_PRIME_PG_DIR:-}" ] && [ -d "$ALPHA_PRIME_PG_DIR" ]; then
        if [ -n "${ALPHA_PRIME_PG_BINDIR:-}" ]; then
            "${ALPHA_PRIME_PG_RUN[@]}" "$ALPHA_PRIME_PG_BINDIR/pg_ctl" -D "$ALPHA_PRIME_PG_DIR/data" -m immediate -w stop \
                >/dev/null 2>&1 || true
        fi
        rm -rf "$ALPHA_PRIME_PG_DIR"
    fi
}
