#!/usr/bin/env bash
# The weekly job (cron Friday 18:00 IST): the week's report, the logs analysed and cleaned up, the
# weekly backup, old backups pruned.
#
#   runbooks/weekly.sh [--home DIR] [--week-of YYYY-MM-DD]
#
# Safe to rerun. Exit 0 when every step passed, 1 when one failed (each named).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
DAY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --week-of) [ $# -ge 2 ] || runbook_usage "--week-of expects YYYY-MM-DD"; DAY=$2; shift 2 ;;
        *) runbook_usage "unknown argument '$1' (expected --home DIR, --week-of YYYY-MM-DD)" ;;
    esac
done
runbook_lock
[ -n "$DAY" ] || DAY=$(runbook_today)
MONDAY=$(date -d "$DAY - $(( $(date -d "$DAY" +%u) - 1 )) days" +%F)
echo "weekly: the week of $MONDAY"
runbook_step "weekly report written" report weekly --week-of "$DAY" || true
runbook_step "logs analysed since $MONDAY" analyze-logs --since "$MONDAY" || true
printf '%s\n' "$RUNBOOK_OUTPUT" | head -25 | sed 's/^/          /'
runbook_step "logs rotated, compressed and expired" cleanup-logs || true
runbook_step "weekly backup taken" backup create --kind weekly || true
runbook_step "old backups pruned (only behind a verified newer one)" backup prune || true
runbook_finish "the week of $MONDAY is reported, its logs analysed and cleaned, backed up"
