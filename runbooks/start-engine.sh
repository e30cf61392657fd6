#!/usr/bin/env bash
# Starts the engine for the day, only after pre-market.sh said READY for it.
#
#   runbooks/start-engine.sh [--home DIR] [--date YYYY-MM-DD] [--mode paper|live] [--replay] [--foreground]
#
# --mode defaults to the configured one (ENVIRONMENT=live in .env: live; else paper).
# Without --replay the engine runs today's session on the wall clock with Kite's ticker as its market
# feed (it waits for the open, trades through the close and squares off on time); --replay replays the
# day's bundled 1-minute bars at full speed instead. In the background (the default) it prints the pid and how to watch
# it; --foreground waits for the session to end and prints its line. Exit 0 started (or, in the
# foreground, the session completed); 5 without today's READY marker; else the engine's exit code.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
DATE="" MODE="" REPLAY=0 FOREGROUND=0
while [ $# -gt 0 ]; do
    case "$1" in
        --date) [ $# -ge 2 ] || runbook_usage "--date expects YYYY-MM-DD"; DATE=$2; shift 2 ;;
        --mode) [ $# -ge 2 ] || runbook_usage "--mode expects paper or live"; MODE=$2; shift 2 ;;
        --replay) REPLAY=1; shift ;;
        --foreground) FOREGROUND=1; shift ;;
        *) runbook_usage "unknown argument '$1' (expected --date, --mode, --replay, --foreground)" ;;
    esac
done
if [ -z "$MODE" ]; then
    # The configured mode: ENVIRONMENT in .env (live trades live; anything else trades paper).
    MODE=paper
    if [ -f "$ALPHA_PRIME_HOME/.env" ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?ENVIRONMENT=("|'"'"')?(live|production)' "$ALPHA_PRIME_HOME/.env"; then
        MODE=live
    fi
fi
case "$MODE" in paper|live) ;; *) runbook_usage "--mode expects paper or live, got '$MODE'" ;; esac
runbook_lock
[ -n "$DATE" ] || DATE=$(runbook_today)
runbook_require_trading_day "$DATE"
[ -f "$ALPHA_PRIME_HOME/var/ready-$DATE" ] || runbook_die 5 "refused: no READY marker for $DATE; run runbooks/pre-market.sh first"

args=(run --mode "$MODE")
[ "$REPLAY" -eq 1 ] && args+=(--replay "$DATE" --speed max)
out=$ALPHA_PRIME_HOME/logs/engine-$DATE.out
if [ "$FOREGROUND" -eq 1 ]; then
    echo "engine: $MODE session of $DATE in the foreground (output: $out)"
    code=0
    "$ALPHA_PRIME_BIN/engine" "${args[@]}" >"$out" 2>&1 9>&- || code=$?
    runbook_log "engine ${args[*]} -> exit $code"
    sed 's/^/  /' "$out" | tail -5
    [ "$code" -eq 0 ] || runbook_die "$code" "the engine exited $code (see $out)"
    runbook_log "finished: session of $DATE ended"
    echo "start-engine: the $DATE session ran to its end"
    exit 0
fi
nohup "$ALPHA_PRIME_BIN/engine" "${args[@]}" >"$out" 2>&1 9>&- &
pid=$!
sleep 2
if ! kill -0 "$pid" 2>/dev/null; then
    code=0
    wait "$pid" || code=$?
    runbook_log "engine ${args[*]} ended at once -> exit $code"
    [ "$code" -eq 0 ] || runbook_die "$code" "the engine stopped at once with exit $code: $(tail -3 "$out")"
fi
runbook_log "engine started: pid $pid, ${args[*]}"
echo "start-engine: engine running, pid $pid ($MODE, $DATE)"
echo "  watch it:   $ALPHA_PRIME_BIN/engine status   and   tail -f $out $ALPHA_PRIME_HOME/logs/trades.log"
echo "  stop it:    runbooks/end-of-day.sh   (or runbooks/emergency-flatten.sh)"
