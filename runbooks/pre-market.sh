#!/usr/bin/env bash
# Pre-market checklist (by hand, or cron at 08:45 IST). Ends with READY or NOT READY and why.
#
#   runbooks/pre-market.sh [--home DIR] [--date YYYY-MM-DD] [--rehearsal]
#
# Without --date it checks today for live or paper trading and any health-check warning blocks
# (health-check --strict). With --date (a replayed session of that day) or --rehearsal, health-check
# failures block and warnings are shown. Exits 0 quietly on a day the exchange is closed.
# READY writes var/ready-DATE, which start-engine.sh requires. Exit 0 READY, 1 NOT READY.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
DATE="" REHEARSAL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --date) [ $# -ge 2 ] || runbook_usage "--date expects YYYY-MM-DD"; DATE=$2; REHEARSAL=1; shift 2 ;;
        --rehearsal) REHEARSAL=1; shift ;;
        *) runbook_usage "unknown argument '$1' (expected --home DIR, --date YYYY-MM-DD, --rehearsal)" ;;
    esac
done
runbook_lock
[ -n "$DATE" ] || DATE=$(runbook_today)

runbook_require_trading_day "$DATE"
echo "pre-market for $DATE ($RUNBOOK_CALENDAR)"
REASONS=()
runbook_step "state database migrated" db-maintenance migrate || REASONS+=("the state database cannot be migrated")
runbook_step "configuration valid" config-check || REASONS+=("configuration errors (config-check)")
if [ "$REHEARSAL" -eq 1 ]; then
    runbook_step "health check" health-check || REASONS+=("health-check failed")
else
    runbook_step "health check (warnings count)" health-check --strict || REASONS+=("health-check warned or failed")
fi
printf '%s\n' "$RUNBOOK_OUTPUT" | grep -E '^\[(WARN|FAIL)\]' | sed 's/^/          /' || true
printf '%s\n' "$RUNBOOK_OUTPUT" | grep -E '^\[ OK \] configuration:' | sed 's/^\[ OK \] configuration: /  setup   /' || true

if [ -f "$ALPHA_PRIME_HOME/.env" ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?ENABLE_REAL_TRADING=("|'"'"')?true' "$ALPHA_PRIME_HOME/.env"; then
    # Live trading: today's Kite login must be stored and accepted by Kite.
    runbook_step "Kite login (live trading enabled)" broker status --check \
        || REASONS+=("no Kite access token Kite accepts today: log in with broker login")
fi

# Yesterday's report and backup, once the system has traded before this day.
previous=""
for back in 1 2 3 4 5 6 7 8 9 10; do
    day=$(date -d "$DATE - $back day" +%F)
    if "$ALPHA_PRIME_BIN/trading-calendar" is-trading-day "$day" >/dev/null 2>&1 9>&-; then previous=$day; break; fi
done
earlier=$( { ls -1 "$ALPHA_PRIME_HOME/reports/daily" 2>/dev/null || true; } | awk -v d="$DATE" '$0 < d' | tail -1)
if [ -z "$earlier" ]; then
    echo "  ok      no earlier trading day recorded: nothing to find from yesterday"
elif [ -n "$previous" ] && [ ! -f "$ALPHA_PRIME_HOME/reports/daily/$previous/report.html" ]; then
    echo "  FAILED  the report of $previous is missing (last one: $earlier); run runbooks/end-of-day.sh --date $previous"
    REASONS+=("no daily report of $previous")
else
    echo "  ok      the daily report of ${previous:-$earlier} is there"
fi
if [ -n "$earlier" ] && ! ls "$ALPHA_PRIME_HOME"/backups/daily/alpha-prime-*.tar.zst >/dev/null 2>&1; then
    echo "  FAILED  no daily backup under backups/daily"
    REASONS+=("no daily backup")
fi

status=$("$ALPHA_PRIME_BIN/engine" status --json 2>/dev/null 9>&- || true)
if printf '%s' "$status" | tr -d ' \n' | grep -q '"kill_switch":true'; then
    echo "  FAILED  the kill switch is set (engine status says who and why; only engine reset-kill-switch clears it)"
    REASONS+=("kill switch set")
else
    echo "  ok      kill switch clear"
fi

rm -f "$ALPHA_PRIME_HOME"/var/ready-*
if [ ${#REASONS[@]} -eq 0 ]; then
    date -u +%Y-%m-%dT%H:%M:%SZ > "$ALPHA_PRIME_HOME/var/ready-$DATE"
    runbook_log "READY for $DATE"
    echo "READY for $DATE"
    exit 0
fi
joined=$(printf '%s; ' "${REASONS[@]}")
runbook_log "NOT READY for $DATE: ${joined%; }"
runbook_alert "pre-market: NOT READY for $DATE" "The engine will not start today until this is fixed: ${joined%; }"
echo "NOT READY for $DATE: ${joined%; }"
exit 1
