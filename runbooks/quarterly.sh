#!/usr/bin/env bash
# The quarterly job: the stress test, the strategies re-backtested over the quarter, a restore drill
# of the latest backup into a scratch database, and the security checks.
#
#   runbooks/quarterly.sh [--home DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
#
# --from/--to default to the last 91 days. Exit 0 when every step passed, 1 when one failed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
FROM="" TO=""
while [ $# -gt 0 ]; do
    case "$1" in
        --from) [ $# -ge 2 ] || runbook_usage "--from expects YYYY-MM-DD"; FROM=$2; shift 2 ;;
        --to) [ $# -ge 2 ] || runbook_usage "--to expects YYYY-MM-DD"; TO=$2; shift 2 ;;
        *) runbook_usage "unknown argument '$1' (expected --home DIR, --from, --to)" ;;
    esac
done
runbook_lock
[ -n "$TO" ] || TO=$(runbook_today)
[ -n "$FROM" ] || FROM=$(date -d "$TO - 91 days" +%F)
echo "quarterly: $FROM to $TO"
runbook_step "stress test" stress-test --duration 120 || true
printf '%s\n' "$RUNBOOK_OUTPUT" | sed 's/^/          /'
strategies=$(sed -n 's/^name: *//p' "$ALPHA_PRIME_HOME"/config/strategies/*.yaml | tr -d '"' | paste -sd, -)
# The paper broker's slippage (broker_config.yaml paper.slippage_ticks), so the comparison measures
# the strategies, not two slippage assumptions.
slippage=$(sed -n '/^paper:/,/^[a-z]/s/^ *slippage_ticks: *\([0-9][0-9]*\).*/\1/p' "$ALPHA_PRIME_HOME/config/broker_config.yaml" | head -1)
runbook_step "strategies re-backtested over the quarter (slippage ${slippage:-0} ticks), saved for the live comparison" \
    backtest --strategy "$strategies" --start "$FROM" --end "$TO" --slippage-ticks "${slippage:-0}" --save --report summary || true
printf '%s\n' "$RUNBOOK_OUTPUT" | tail -12 | sed 's/^/          /'
# Drift: each month's trading against the backtest of the same days, per strategy.
month=${FROM%-*}
while [[ ! "$month" > "${TO%-*}" ]]; do
    if runbook_step "live against backtest, $month" report monthly --month "$month" --json; then
        printf '%s' "$RUNBOOK_OUTPUT" | python3 -c '
import json, sys
rows = json.load(sys.stdin).get("backtest_comparison", [])
for r in rows:
    print("          %s: traded %.2f over %d days, backtest %.2f, drift %+.2f" % (
        r["strategy"], r["net_pnl_paise"] / 100, r["days"], r["backtest_net_pnl_paise"] / 100, r["difference_paise"] / 100))
if not rows:
    print("          no traded day of this month was backtested")
' || true
    fi
    month=$(date -d "$month-01 + 1 month" +%Y-%m)
done
latest=$(find "$ALPHA_PRIME_HOME/backups" -name 'alpha-prime-*.tar.zst' -not -path '*/archive/*' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-)
if [ -n "$latest" ]; then
    scratch=$(mktemp -d)
    runbook_step "restore drill: $(basename "$latest") into a scratch database" backup restore "$latest" --confirm --to "sqlite:$scratch/drill.db" || true
    rm -rf "$scratch"
else
    echo "  FAILED  restore drill: no backup to restore"
    RUNBOOK_FAILED+=("no backup for the restore drill")
fi
echo "security:"
for f in "$ALPHA_PRIME_HOME/.env" "$ALPHA_PRIME_HOME/backups"; do
    [ -e "$f" ] || continue
    mode=$(stat -c '%a' "$f")
    if [ $(( 8#$mode & 8#077 )) -ne 0 ]; then
        echo "  FAILED  $f is readable by others (mode $mode): chmod go-rwx $f"
        RUNBOOK_FAILED+=("$f mode $mode")
    else
        echo "  ok      $f private (mode $mode)"
    fi
done
runbook_step "configuration valid" config-check || true
if [ -f "$ALPHA_PRIME_HOME/.env" ]; then
    leaked=0
    while IFS='=' read -r key value; do
        value=${value%\"}; value=${value#\"}
        case "$key" in *KEY*|*SECRET*|*TOKEN*|*PASSWORD*|*PASSPHRASE*) ;; *) continue ;; esac
        [ ${#value} -ge 6 ] || continue
        if grep -rqsF -- "$value" "$ALPHA_PRIME_HOME/logs" "$ALPHA_PRIME_HOME/reports"; then
            echo "  FAILED  the value of $key appears in logs/ or reports/"
            leaked=1
        fi
    done < <(grep -E '^[A-Z_]+=' "$ALPHA_PRIME_HOME/.env")
    [ "$leaked" -eq 0 ] && echo "  ok      no secret of .env in logs/ or reports/"
    [ "$leaked" -eq 0 ] || RUNBOOK_FAILED+=("a secret in logs or reports")
fi
runbook_finish "the quarter's checks are done"
