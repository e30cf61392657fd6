#!/usr/bin/env python3
"""A paper day's P&L worked out independently of the engine, from its fills alone.

Reads the fills of one mode from an ALPHA-PRIME state database (SQLite), recomputes every fill's
charges from the rates written in docs/charges.md (not from the project's code), books the fills
first-in first-out per strategy and symbol, and prints the day's gross P&L, charges and net P&L.
With --check it compares, to the paisa, what the engine recorded (each fill's charges, each closed
trade's gross P&L and charges, the totals) and exits 1 on any difference, naming it.

    scripts/reference/day_pnl.py var/alpha_prime.db [--mode paper] [--check] [--json]

Only what the bundled days trade is covered: NIFTY 50 and BANKNIFTY, traded as index futures
(the equity futures segment), MIS, before 2024-10-01 (docs/charges.md: the 2023-04-01 rate set, which
also prices earlier trades). A fill of another kind or date is refused, not guessed at.
"""

import argparse
import json
import sqlite3
import sys
from fractions import Fraction

# docs/charges.md, "Default rates", equity futures, the first rate set (2023-04-01; earlier trades
# get the first set). Percentages of turnover.
PCT = Fraction(1, 100)
BROKERAGE_RATE = Fraction("0.03") * PCT       # min(₹20, 0.03 %) per executed order
BROKERAGE_CAP = 2000                          # paise
STT_SELL = Fraction("0.0125") * PCT           # sell side only
EXCHANGE = Fraction("0.0019") * PCT + Fraction("0.0001") * PCT   # transaction charge + IPFT
SEBI = Fraction("0.0001") * PCT               # ₹10 per crore
STAMP_BUY = Fraction("0.002") * PCT           # buy side only
GST = Fraction(18, 100)                       # on brokerage + exchange + SEBI, unrounded
FUTURES = {"NIFTY 50", "BANKNIFTY"}
LAST_DAY_US = 1_727_721_000 * 1_000_000       # 2024-10-01 00:00 IST: the next rate set begins


def half_up(x: Fraction) -> int:
    """Rounded half-up to the paisa (amounts here are never negative)."""
    return int((x + Fraction(1, 2)) // 1)


def charges(side: str, quantity: int, price: int) -> int:
    """One executed order's charges, paise: each component rounded on its own, then summed
    (`total_rounding: sum_of_components`, the default)."""
    turnover = Fraction(quantity * price)
    brokerage = min(Fraction(BROKERAGE_CAP), turnover * BROKERAGE_RATE)
    stt = turnover * STT_SELL if side == "SELL" else Fraction(0)
    exchange = turnover * EXCHANGE
    sebi = turnover * SEBI
    stamp = turnover * STAMP_BUY if side == "BUY" else Fraction(0)
    gst = (brokerage + exchange + sebi) * GST
    return sum(half_up(c) for c in (brokerage, stt, exchange, sebi, stamp, gst))


def load_fills(db, mode):
    rows = db.execute(
        """SELECT f.id, f.order_id, f.quantity, f.price_paise, f.charges_paise, f.filled_at_us,
                  o.strategy, o.symbol, o.side, o.product, o.quantity
           FROM fills f JOIN orders o ON o.id = f.order_id AND o.mode = f.mode
           WHERE f.mode = ? ORDER BY f.filled_at_us, f.id""", (mode,)).fetchall()
    fills = []
    for (fid, oid, qty, price, recorded, at, strategy, symbol, side, product, order_qty) in rows:
        if symbol not in FUTURES or product != "MIS" or at >= LAST_DAY_US:
            sys.exit(f"fill {fid}: {symbol} {product} at {at} is outside what this reference covers")
        if qty != order_qty:
            sys.exit(f"fill {fid}: a partial fill ({qty} of {order_qty}); this reference prices whole orders only")
        fills.append(dict(id=fid, order=oid, quantity=qty, price=price, recorded_charges=recorded, at=at,
                          strategy=strategy, symbol=symbol, side=side, charges=charges(side, qty, price)))
    return fills


def book(fills):
    """First-in first-out per (strategy, symbol). A trade runs from flat to flat; its gross P&L is
    exit value − entry value (reversed for a short) and its charges are those of the fills it used
    (an entry fill's charges split by quantity when a trade takes only part of it)."""
    books = {}
    trades = []
    for f in fills:
        key = (f["strategy"], f["symbol"])
        b = books.setdefault(key, dict(position=0, lots=[], entry=0, exit=0, charges=0, quantity=0))
        signed = f["quantity"] if f["side"] == "BUY" else -f["quantity"]
        if b["position"] == 0 or (b["position"] > 0) == (signed > 0):
            b["lots"].append([abs(signed), f["price"], f["charges"], f["quantity"]])
            b["position"] += signed
            b["entry"] += abs(signed) * f["price"]
            b["quantity"] += abs(signed)
            continue
        closing = min(abs(signed), abs(b["position"]))
        if closing != abs(signed):
            sys.exit(f"fill {f['id']}: reverses a position in one order; the engine never does")
        remaining = closing
        while remaining > 0:
            lot = b["lots"][0]
            take = min(remaining, lot[0])
            if take == lot[0]:
                b["charges"] += lot[2]
                b["lots"].pop(0)
            else:
                share = lot[2] * take // lot[0]
                b["charges"] += share
                lot[2] -= share
                lot[0] -= take
            remaining -= take
        b["exit"] += closing * f["price"]
        b["charges"] += f["charges"]
        b["position"] += signed
        if b["position"] == 0:
            long = signed < 0
            gross = (b["exit"] - b["entry"]) if long else (b["entry"] - b["exit"])
            trades.append(dict(strategy=key[0], symbol=key[1], side="BUY" if long else "SELL",
                               quantity=b["quantity"], gross=gross, charges=b["charges"], exit_at=f["at"]))
            books[key] = dict(position=0, lots=[], entry=0, exit=0, charges=0, quantity=0)
    open_books = [k for k, b in books.items() if b["position"] != 0]
    return trades, open_books


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("database")
    p.add_argument("--mode", default="paper")
    p.add_argument("--check", action="store_true", help="compare with what the engine recorded; exit 1 on a difference")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    db = sqlite3.connect(f"file:{a.database}?mode=ro", uri=True)
    fills = load_fills(db, a.mode)
    if not fills:
        sys.exit(f"no {a.mode} fills in {a.database}: nothing to work out")
    trades, open_books = book(fills)
    result = dict(fills=len(fills), trades=len(trades), open_positions=len(open_books),
                  gross_pnl_paise=sum(t["gross"] for t in trades),
                  charges_paise=sum(f["charges"] for f in fills),
                  net_pnl_paise=sum(t["gross"] for t in trades) - sum(f["charges"] for f in fills))
    problems = []
    if a.check:
        for f in fills:
            if f["charges"] != f["recorded_charges"]:
                problems.append(f"fill {f['id']} ({f['side']} {f['quantity']} {f['symbol']} @ {f['price']}): "
                                f"charges {f['charges']} here, {f['recorded_charges']} recorded")
        recorded = db.execute(
            """SELECT strategy, symbol, side, quantity, gross_pnl_paise, charges_paise, exit_at_us
               FROM trades WHERE mode = ? ORDER BY exit_at_us, id""", (a.mode,)).fetchall()
        mine = sorted(trades, key=lambda t: t["exit_at"])
        if len(recorded) != len(mine):
            problems.append(f"{len(mine)} trades here, {len(recorded)} recorded")
        for t, r in zip(mine, recorded):
            here = (t["strategy"], t["symbol"], t["side"], t["quantity"], t["gross"], t["charges"], t["exit_at"])
            if here != tuple(r):
                problems.append(f"trade {here} here, {tuple(r)} recorded")
        result["recorded_trades"] = len(recorded)
        result["recorded_net_pnl_paise"] = db.execute(
            "SELECT COALESCE(SUM(net_pnl_paise), 0) FROM trades WHERE mode = ?", (a.mode,)).fetchone()[0]
        result["differences"] = problems
    if a.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(f"{result['fills']} fills, {result['trades']} trades, {result['open_positions']} positions open")
        print(f"gross {result['gross_pnl_paise'] / 100:.2f}  charges {result['charges_paise'] / 100:.2f}  "
              f"net {result['net_pnl_paise'] / 100:.2f} (rupees)")
        for line in problems:
            print(f"DIFFERENT: {line}")
        if a.check and not problems:
            print("the engine's fills, trades and totals agree to the paisa")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
