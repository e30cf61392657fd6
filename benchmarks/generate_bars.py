#!/usr/bin/env python3
"""Deterministic 1-minute NSE-session bars for benchmarks.

Writes the canonical CSV (`timestamp,open,high,low,close,volume`, bar start in UTC ISO-8601, prices
in rupees on the 0.05 grid) for N bars: 375 bars per weekday session (09:15-15:29 IST starts),
weekdays from 2010-01-04 on, a seeded random walk. Prints the file's SHA-256 so a reader can check
that every engine ran on the same bytes.

    benchmarks/generate_bars.py --bars 1000000 --seed 42 --out /tmp/bars_1m.csv
"""
import argparse
import datetime as dt
import hashlib
import os
import random
import sys

TICK = 5  # paise
SESSION_BARS = 375  # 09:15 .. 15:29 IST starts
IST_OPEN_UTC = dt.timedelta(hours=3, minutes=45)  # 09:15 IST = 03:45 UTC


def rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def generate(bars: int, seed: int, out):
    rng = random.Random(seed)
    price = 1_000_000  # ₹10,000.00 in paise
    day = dt.date(2010, 1, 4)
    written = 0
    out.write("timestamp,open,high,low,close,volume\n")
    while written < bars:
        if day.weekday() < 5:
            start = dt.datetime(day.year, day.month, day.day) + IST_OPEN_UTC
            # Overnight gap.
            price = max(TICK * 100, price + TICK * round(rng.gauss(0, 1000)))
            for minute in range(SESSION_BARS):
                if written >= bars:
                    break
                o = price
                c = max(TICK * 100, o + TICK * round(rng.gauss(0, 60)))
                h = max(o, c) + TICK * int(abs(rng.gauss(0, 20)))
                l = max(TICK, min(o, c) - TICK * int(abs(rng.gauss(0, 20))))
                v = 1000 + int(rng.random() * 9000)
                t = start + dt.timedelta(minutes=minute)
                out.write(f"{t:%Y-%m-%dT%H:%M:%S}Z,{rupees(o)},{rupees(h)},{rupees(l)},{rupees(c)},{v}\n")
                price = c
                written += 1
        day += dt.timedelta(days=1)
    return written


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bars", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    tmp = a.out + ".tmp"
    with open(tmp, "w", newline="\n") as f:
        n = generate(a.bars, a.seed, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, a.out)
    h = hashlib.sha256()
    with open(a.out, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    print(f"{a.out}: {n} bars, seed {a.seed}, sha256 {h.hexdigest()}")


if __name__ == "__main__":
    sys.exit(main())
