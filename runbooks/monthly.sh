#!/usr/bin/env bash
# The monthly job (cron on the first trading day of a month, 18:00 IST): last month's report, the
# database checked and compacted, old months archived, the monthly backup, and the reminders.
#
#   runbooks/monthly.sh [--home DIR] [--month YYYY-MM] [--archive-older-than DAYS] [--first-trading-day-only]
#
# --first-trading-day-only (cron): exits 0 at once unless today is the month's first trading day.
# --month defaults to the month before today; archive keeps 90 days in the database unless told.
# Safe to rerun. Exit 0 when every step passed, 1 when one failed (each named).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
MONTH="" KEEP_DAYS=90 FIRST_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --month) [ $# -ge 2 ] || runbook_usage "--month expects YYYY-MM"; MONTH=$2; shift 2 ;;
        --archive-older-than) [ $# -ge 2 ] || runbook_usage "--archive-older-than expects days"; KEEP_DAYS=$2; shift 2 ;;
        --first-trading-day-only) FIRST_ONLY=1; shift ;;
        *) runbook_usage "unknown argument '$1' (expected --home DIR, --month YYYY-MM, --archive-older-than DAYS, --first-trading-day-only)" ;;
    esac
done
if [ "$FIRST_ONLY" -eq 1 ]; then
    today=$(runbook_today)
    day=${today%-*}-01
    while [[ "$day" < "$today" ]] && ! "$ALPHA_PRIME_BIN/trading-calendar" is-trading-day "$day" >/dev/null 2>&1; do
        day=$(date -d "$day + 1 day" +%F)
    done
    if [ "$day" != "$today" ] || ! "$ALPHA_PRIME_BIN/trading-calendar" is-trading-day "$today" >/dev/null 2>&1; then
        echo "monthly: today is not the month's first trading day; nothing to do"
        exit 0
    fi
fi
runbook_lock
TODAY=$(runbook_today)
[ -n "$MONTH" ] || MONTH=$(date -d "${TODAY%-*}-01 - 1 day" +%Y-%m)
echo "monthly: $MONTH"
runbook_step "monthly report of $MONTH written" report monthly --month "$MONTH" || true
runbook_step "database integrity checked" db-maintenance integrity-check || true
runbook_step "database vacuumed" db-maintenance vacuum || true
runbook_step "months older than $KEEP_DAYS days archived" archive run --older-than "$KEEP_DAYS" || true
printf '%s\n' "$RUNBOOK_OUTPUT" | sed 's/^/          /'
runbook_step "monthly backup taken" backup create --kind monthly || true
echo "reminders:"
echo "  - rotate the broker API secret if its date has come (Kite: developers.kite.trade, then .env)"
echo "  - .env must stay private: $(stat -c '%a' "$ALPHA_PRIME_HOME/.env" 2>/dev/null || echo 'no .env') (600 expected)"
next_year=$(( ${TODAY%%-*} + 1 ))
if grep -q "\"\?$next_year-" "$ALPHA_PRIME_HOME/config/trading_hours.yaml"; then
    echo "  - holidays for $next_year: configured"
else
    echo "  - holidays for $next_year: NOT configured yet; add NSE's list to config/trading_hours.yaml"
fi
runbook_finish "$MONTH is reported, the database checked, compacted and archived, backed up"
