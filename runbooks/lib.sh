# shellcheck shell=bash
# Shared by the runbooks: where the tools and the home are, one run at a time, and every step
# logged with its exit code to logs/runbooks.log and said plainly on the terminal.
# Sourced, not executed.
#
#   ALPHA_PRIME_HOME / --home DIR   the home (config/, data/, logs/, reports/, backups/, var/)
#   ALPHA_PRIME_BIN                 where the built tools are (default: .build/release, else .build/debug)

set -euo pipefail

RUNBOOK_NAME=$(basename "$0" .sh)
RUNBOOK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNBOOK_FAILED=()

# Reads --home DIR (and leaves the other arguments in RUNBOOK_ARGS).
runbook_parse_home() {
    RUNBOOK_ARGS=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --home) [ $# -ge 2 ] || runbook_usage "--home expects a directory"; ALPHA_PRIME_HOME=$2; shift 2 ;;
            --home=*) ALPHA_PRIME_HOME=${1#--home=}; shift ;;
            *) RUNBOOK_ARGS+=("$1"); shift ;;
        esac
    done
    ALPHA_PRIME_HOME=${ALPHA_PRIME_HOME:-$RUNBOOK_ROOT}
    [ -f "$ALPHA_PRIME_HOME/config/general_config.yaml" ] || runbook_die 66 "no ALPHA-PRIME home at $ALPHA_PRIME_HOME (config/general_config.yaml missing)"
    ALPHA_PRIME_HOME=$(cd "$ALPHA_PRIME_HOME" && pwd)
    export ALPHA_PRIME_HOME
    if [ -z "${ALPHA_PRIME_BIN:-}" ]; then
        if [ -x "$RUNBOOK_ROOT/.build/release/engine" ]; then ALPHA_PRIME_BIN=$RUNBOOK_ROOT/.build/release
        else ALPHA_PRIME_BIN=$RUNBOOK_ROOT/.build/debug; fi
    fi
    [ -x "$ALPHA_PRIME_BIN/engine" ] || runbook_die 66 "no built tools in $ALPHA_PRIME_BIN (run: swift build -c release)"
    mkdir -p "$ALPHA_PRIME_HOME/logs" "$ALPHA_PRIME_HOME/var"
    RUNBOOK_LOG=$ALPHA_PRIME_HOME/logs/runbooks.log
}

runbook_usage() { echo "$RUNBOOK_NAME: $1" >&2; exit 64; }

runbook_die() {
    local code=$1; shift
    echo "$RUNBOOK_NAME: $*" >&2
    [ -n "${RUNBOOK_LOG:-}" ] && runbook_log "FAILED ($code): $*"
    exit "$code"
}

runbook_log() {
    printf '%s %s[%d] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$RUNBOOK_NAME" "$$" "$*" >> "$RUNBOOK_LOG"
}

# One run at a time per runbook and home: exit 4 when another holds the lock. The lock is fd 9 of
# the runbook's shell; every tool is started with fd 9 closed (9>&-), so the lock ends with the
# runbook, never held on by a tool it started (the engine in the background, a tool still exiting).
runbook_lock() {
    exec 9>"$ALPHA_PRIME_HOME/var/runbook-$RUNBOOK_NAME.lock"
    flock -n 9 || runbook_die 4 "another $RUNBOOK_NAME run holds $ALPHA_PRIME_HOME/var/runbook-$RUNBOOK_NAME.lock; try later"
    runbook_log "started (home $ALPHA_PRIME_HOME)"
}

# runbook_step "what it does" TOOL ARGS...: runs a tool, logs its exit code, says OK or FAILED.
# Returns the tool's exit code (the caller decides whether it ends the run).
runbook_step() {
    local what=$1; shift
    local tool=$1; shift
    local out code=0
    out=$("$ALPHA_PRIME_BIN/$tool" "$@" 2>&1 9>&-) || code=$?
    runbook_log "step '$what': $tool $* -> exit $code"
    if [ "$code" -eq 0 ]; then
        echo "  ok      $what"
    else
        echo "  FAILED  $what (exit $code)"
        printf '%s\n' "$out" | sed 's/^/          /' | tail -15
        RUNBOOK_FAILED+=("$what (exit $code)")
    fi
    # shellcheck disable=SC2034  # read by the runbooks after a step
    RUNBOOK_OUTPUT=$out
    return "$code"
}

# Today in IST, as the tools see it (trading-calendar's default day: the drill clock
# ALPHA_PRIME_NOW in a debug build, else the wall clock).
runbook_today() {
    local line
    line=$("$ALPHA_PRIME_BIN/trading-calendar" is-trading-day 2>/dev/null 9>&- || true)
    line=${line%% *}
    [[ "$line" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || runbook_die 70 "trading-calendar did not say what day it is"
    echo "$line"
}

# Ends the run quietly (exit 0) when DATE is not a trading day; stops on a calendar error.
runbook_require_trading_day() {
    local answer code=0
    answer=$("$ALPHA_PRIME_BIN/trading-calendar" is-trading-day "$1" 2>&1 9>&-) || code=$?
    case "$code" in
        0) export RUNBOOK_CALENDAR=$answer ;;
        1) runbook_log "not a trading day: $answer"; echo "$answer: nothing to do"; exit 0 ;;
        *) runbook_die "$code" "trading-calendar: $answer" ;;
    esac
}

# Ends the run: one line, logged; exit 0 when every step passed, else 1.
runbook_finish() {
    if [ ${#RUNBOOK_FAILED[@]} -eq 0 ]; then
        runbook_log "finished: ${1:-done}"
        echo "$RUNBOOK_NAME: ${1:-done}"
        exit 0
    fi
    local joined
    joined=$(printf '%s; ' "${RUNBOOK_FAILED[@]}")
    runbook_log "finished with failures: ${joined%; }"
    runbook_alert "$RUNBOOK_NAME: ${#RUNBOOK_FAILED[@]} step(s) failed" "${joined%; }"
    echo "$RUNBOOK_NAME: FAILED: ${joined%; }"
    exit 1
}

# runbook_alert TITLE MESSAGE: tells the trader through the alert channels .env configures (the
# same runbook's failure at most once per alerts.dedup_minutes). Never fails the run: what the
# alert tool said is logged.
runbook_alert() {
    runbook_notify runbook_failed critical "runbook-$RUNBOOK_NAME" "$1" "$2"
}

# runbook_notify KIND SEVERITY KEY TITLE MESSAGE: one alert through the alert tool (deduplicated by
# KEY); never fails the run, says in plain words whether it went out, and logs it.
runbook_notify() {
    local out code=0
    [ -x "$ALPHA_PRIME_BIN/alert" ] || { runbook_log "alert not sent: no alert tool in $ALPHA_PRIME_BIN"; return 0; }
    out=$("$ALPHA_PRIME_BIN/alert" send --kind "$1" --severity "$2" --key "$3" \
        --title "$4" --message "$5" 2>&1 9>&-) || code=$?
    runbook_log "alert '$4' -> exit $code: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
    if [ "$code" -eq 0 ]; then echo "  alert   $4"; else echo "  alert   NOT SENT (exit $code)"; fi
    return 0
}
