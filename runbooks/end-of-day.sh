#!/usr/bin/env bash
# End of the trading day (cron at 15:35 IST): stop the engine flat, check nothing is left open,
# write the daily report and take the daily backup, and print the report's summary.
#
#   runbooks/end-of-day.sh [--home DIR] [--date YYYY-MM-DD]
#
# Safe to rerun: a stopped engine stays stopped, the report folder is replaced whole, a second backup
# is simply a newer one. Exit 0 when every step passed, 1 when one failed (each named).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
DATE=""
while [ $# -gt 0 ]; do
    case "$1" in
        --date) [ $# -ge 2 ] || runbook_usage "--date expects YYYY-MM-DD"; DATE=$2; shift 2 ;;
        *) runbook_usage "unknown argument '$1' (expected --home DIR, --date YYYY-MM-DD)" ;;
    esac
done
runbook_lock
[ -n "$DATE" ] || DATE=$(runbook_today)
runbook_require_trading_day "$DATE"
echo "end of day $DATE"

runbook_step "engine stopped, positions flattened" engine stop --flatten --timeout 120 --reason "end of day" || true
if runbook_step "engine status read" engine status --json; then
    status=$(printf '%s' "$RUNBOOK_OUTPUT" | tr -d ' \n')
    if printf '%s' "$status" | grep -q '"running":true'; then
        echo "  FAILED  an engine is still running"
        RUNBOOK_FAILED+=("engine still running")
    fi
    if printf '%s' "$status" | grep -Eq '"working_orders":[1-9]'; then
        echo "  FAILED  working orders are left (engine status lists them)"
        RUNBOOK_FAILED+=("working orders left")
    fi
    if printf '%s' "$status" | grep -q '"open_positions":\[{'; then
        echo "  FAILED  open positions are left (engine status lists them; runbooks/emergency-flatten.sh closes them)"
        RUNBOOK_FAILED+=("open positions left")
    else
        echo "  ok      no open positions"
    fi
fi
runbook_step "daily report written" report daily --date "$DATE" || true
runbook_step "daily backup taken" backup create --kind daily \
    || runbook_notify backup_failed critical "backup-$DATE" "the daily backup of $DATE failed" \
        "$(printf '%s\n' "$RUNBOOK_OUTPUT" | tail -n 5)"
backup=$(printf '%s\n' "$RUNBOOK_OUTPUT" | sed -n 's/^backup written: //p')
summary=$ALPHA_PRIME_HOME/reports/daily/$DATE/summary.txt
if [ -f "$summary" ]; then
    echo
    cat "$summary"
    echo
    runbook_notify end_of_day info "end-of-day-$DATE" "end of day $DATE" "$(cat "$summary")"
fi
[ -n "$backup" ] && echo "backup: $backup"
runbook_finish "the $DATE report and backup are done"
