#!/usr/bin/env python3
"""The bollinger_reference preset as a plain Python loop, exact in integer paise.

On each bar close: SMA(20) and population standard deviation of the last 20 closes. Flat and
close < SMA - 2*sigma: buy 1 at the next bar's open. Long and close > SMA: sell 1 at the next bar's
open. Long only, no costs, no slippage; a signal on the last bar is dropped; an open position at the
end is reported as open. Ties give no signal: comparisons are decided exactly with integers.

    peers/plain_python.py FILE      prints one JSON line
"""
import hashlib
import json
import sys
import time

N = 20


def paise(text: str) -> int:
    whole, _, frac = text.partition(".")
    frac = (frac + "00")[:2]
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(frac))


def main(path):
    t0, c0 = time.perf_counter(), time.process_time()
    opens, closes = [], []
    with open(path) as f:
        next(f)
        for line in f:
            parts = line.split(",")
            opens.append(paise(parts[1]))
            closes.append(paise(parts[4]))
    t1, c1 = time.perf_counter(), time.process_time()
    n = len(closes)
    position = 0
    entry = 0
    pending = 0  # +1 buy, -1 sell at the next open
    trades = 0
    gross = 0
    wins = 0
    fills = []  # (entry, exit) paise of each closed trade, for the digest
    s = q = 0
    for i in range(n):
        if pending:
            if pending > 0:
                position, entry = 1, opens[i]
            else:
                pnl = opens[i] - entry
                gross += pnl
                trades += 1
                wins += pnl > 0
                fills.append((entry, opens[i]))
                position = 0
            pending = 0
        c = closes[i]
        s += c
        q += c * c
        if i >= N:
            old = closes[i - N]
            s -= old
            q -= old * old
        if i < N - 1 or i == n - 1:
            continue
        if position == 0:
            d = s - N * c
            if d > 0 and d * d > 4 * (N * q - s * s):
                pending = 1
        elif N * c > s:
            pending = -1
    t2, c2 = time.perf_counter(), time.process_time()
    h = hashlib.sha256()
    for e, x in fills:
        h.update(f"{e},{x}\n".encode())
    print(json.dumps({
        "engine": "plain-python", "bars": n, "trades": trades, "winning_trades": wins,
        "gross_pnl_paise": gross, "open_position": position,
        "open_entry_price_paise": entry if position else None, "trades_digest": h.hexdigest()[:16],
        "load_seconds": round(t1 - t0, 4), "backtest_seconds": round(t2 - t1, 4),
        "load_cpu_seconds": round(c1 - c0, 4), "backtest_cpu_seconds": round(c2 - c1, 4),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
