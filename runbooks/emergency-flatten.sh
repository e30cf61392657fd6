#!/usr/bin/env bash
# Emergency: set the kill switch, cancel every working order and close every position now.
#
#   runbooks/emergency-flatten.sh [--home DIR] [--yes] [--reason TEXT]
#
# Asks for confirmation unless --yes. Works when the engine is hung or gone. Afterwards only
# `engine reset-kill-switch --confirm --reason TEXT` lets trading start again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runbook_parse_home "$@"
set -- "${RUNBOOK_ARGS[@]+"${RUNBOOK_ARGS[@]}"}"
YES=0 REASON="emergency-flatten runbook"
while [ $# -gt 0 ]; do
    case "$1" in
        --yes) YES=1; shift ;;
        --reason) [ $# -ge 2 ] || runbook_usage "--reason expects a text"; REASON=$2; shift 2 ;;
        *) runbook_usage "unknown argument '$1' (expected --home DIR, --yes, --reason TEXT)" ;;
    esac
done
runbook_lock
if [ "$YES" -ne 1 ]; then
    [ -t 0 ] || runbook_die 5 "refused: not confirmed (no terminal to ask on; pass --yes)"
    read -r -p "Set the kill switch and close every position now? Type yes: " answer
    [ "$answer" = "yes" ] || runbook_die 5 "refused: not confirmed"
fi
runbook_step "kill switch set, orders cancelled, positions closed" engine emergency-stop --reason "$REASON" || true
printf '%s\n' "$RUNBOOK_OUTPUT" | sed 's/^/          /'
runbook_step "engine status" engine status || true
printf '%s\n' "$RUNBOOK_OUTPUT" | sed 's/^/          /'
runbook_finish "kill switch set and positions flattened; engine reset-kill-switch --confirm --reason TEXT to trade again"
