#!/usr/bin/env python3
"""Reference values for the streaming indicators in Sources/AlphaPrimeCore/Indicators/.

Reads the real-data slices committed in Tests/AlphaPrimeTests/Fixtures/indicators/ and writes one
`<slice>.reference.csv` next to each, computed with TA-Lib (SMA, EMA, STDDEV, BBANDS, ATR, RSI, MAX,
MIN, ADX, PLUS_DI, MINUS_DI) and with numpy/pandas for what TA-Lib lacks (sample standard deviation,
session-anchored VWAP, z-score). The Swift suite `IndicatorReferenceTests` replays the same bars
through the indicators and compares every value (1e-9 relative) and every warm-up (empty cell here
<=> not ready there).

Usage (from the repository root, in a virtual environment outside the repository):
    python3 -m venv /tmp/ta-venv && /tmp/ta-venv/bin/pip install ta-lib numpy pandas
    /tmp/ta-venv/bin/python scripts/reference/make_indicator_reference.py
    # re-cut the slices from the shared data first (only needed to change them):
    /tmp/ta-venv/bin/python scripts/reference/make_indicator_reference.py --slice-from ../shared/data
"""
import argparse
import os
import platform
import sys

import numpy as np
import pandas as pd
import talib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "AlphaPrimeTests", "Fixtures", "indicators")

# name -> (source file under the shared data folder, first day, last day), days as in the source.
SLICES = {
    "NIFTY50_2021-03-01_2021-03-02.txt": ("intraday_1min/NIFTY50_2021-03.txt", "20210301", "20210302"),
    "BANKNIFTY_2021-02-24_2021-02-25.txt": ("intraday_1min/BANKNIFTY_2021-02.txt", "20210224", "20210225"),
    "RELIANCE_5minute_2025-08-25_2025-08-29.csv": ("equities/RELIANCE_5minute.csv", "2025-08-25", "2025-08-29"),
}

# Periods checked. Keep in step with IndicatorReferenceTests.swift.
SMA_PERIODS = (20, 50)
EMA_PERIODS = (20,)
STDDEV_PERIOD = 20          # population (TA-Lib STDDEV), sample (numpy ddof=1), z-score
BBANDS = (20, 2.0)          # SMA(20) +- 2 population sigma (TA-Lib BBANDS, matype SMA)
WILDER_PERIODS = (5, 14)    # ADX/+DI/-DI at both; ATR and RSI at the last
RSI_EXTRA_PERIOD = 2        # the short RSI of mean-reversion systems
DONCHIAN_PERIOD = 20        # MAX(high), MIN(low)


def cut_slices(shared):
    for name, (src, first, last) in SLICES.items():
        with open(os.path.join(shared, src), encoding="utf-8") as f:
            lines = f.read().splitlines()
        if name.endswith(".csv"):  # header + ISO timestamps
            keep = [lines[0]] + [l for l in lines[1:] if first <= l[:10] <= last]
        else:  # symbol,YYYYMMDD,HH:MM,o,h,l,c,v,oi
            keep = [l for l in lines if first <= l.split(",")[1] <= last]
        with open(os.path.join(FIXTURES, name), "w", encoding="utf-8") as f:
            f.write("\n".join(keep) + "\n")


def load(name):
    path = os.path.join(FIXTURES, name)
    if name.endswith(".csv"):
        df = pd.read_csv(path)
        session = df["date"].str[:10]
    else:
        df = pd.read_csv(path, header=None,
                         names=["symbol", "day", "time", "open", "high", "low", "close", "volume", "oi"],
                         dtype={"day": str})
        session = df["day"]
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return (*cols, session.to_numpy())


def rolling_windows(x, n):
    out = np.full((len(x), n), np.nan)
    out[n - 1:] = np.lib.stride_tricks.sliding_window_view(x, n)
    return out


def reference(name):
    _, h, l, c, v, session = load(name)
    cols = {}
    for n in SMA_PERIODS:
        cols[f"sma{n}"] = talib.SMA(c, n)
    for n in EMA_PERIODS:
        cols[f"ema{n}"] = talib.EMA(c, n)
    n = STDDEV_PERIOD
    cols[f"stddev{n}"] = talib.STDDEV(c, n, 1.0)
    # Two-pass per window, on deviations from the window's newest value: a price minus a nearby price
    # is exact in floating point, so x - mean keeps its digits even for a close next to its mean.
    w = rolling_windows(c, n)
    dev = w - w[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        cols[f"sstddev{n}"] = np.std(dev, axis=1, ddof=1)
        pop = np.std(dev, axis=1, ddof=0)
        z = -np.mean(dev, axis=1) / pop  # (x - mean) / sigma with x the newest value
    z[~(pop > 0)] = np.nan  # a flat window has no z-score
    cols[f"zscore{n}"] = z
    # Sanity: the two-pass population sigma and TA-Lib's STDDEV agree far below the test tolerance
    # (TA-Lib's own running-sum variance is off by up to ~1e-11 relative on these prices).
    ok = ~np.isnan(pop)
    assert np.array_equal(ok, ~np.isnan(cols[f"stddev{n}"]))
    assert np.max(np.abs(pop[ok] - cols[f"stddev{n}"][ok]) / np.maximum(pop[ok], 1e-300)) < 1e-10
    bn, k = BBANDS
    upper, middle, lower = talib.BBANDS(c, bn, k, k, 0)
    assert np.array_equal(middle, talib.SMA(c, bn), equal_nan=True)
    cols[f"bbupper{bn}"], cols[f"bblower{bn}"] = upper, lower
    cols[f"atr{WILDER_PERIODS[-1]}"] = talib.ATR(h, l, c, WILDER_PERIODS[-1])
    for n in (RSI_EXTRA_PERIOD, WILDER_PERIODS[-1]):
        cols[f"rsi{n}"] = talib.RSI(c, n)
    for n in WILDER_PERIODS:
        cols[f"adx{n}"] = talib.ADX(h, l, c, n)
        cols[f"plusdi{n}"] = talib.PLUS_DI(h, l, c, n)
        cols[f"minusdi{n}"] = talib.MINUS_DI(h, l, c, n)
    n = DONCHIAN_PERIOD
    cols[f"max{n}"] = talib.MAX(h, n)
    cols[f"min{n}"] = talib.MIN(l, n)
    # Session VWAP: typical price (h+l+c)/3 times volume, cumulated from each session's first bar.
    frame = pd.DataFrame({"s": session, "pv": (h + l + c) / 3.0 * v, "v": v})
    g = frame.groupby("s", sort=False)
    cum_pv, cum_v = g["pv"].cumsum().to_numpy(), g["v"].cumsum().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        vwap = cum_pv / cum_v
    vwap[~(cum_v > 0)] = np.nan  # nothing traded yet in the session (always so for an index)
    cols["vwap"] = vwap
    return cols


def fmt(x):
    # 13 significant digits: rounding of at most 5e-13 relative, far below the 1e-9 the tests ask,
    # and a fixture a third smaller than with round-trip digits.
    return "" if np.isnan(x) else format(float(x), ".13g")


def write(name, cols):
    out = os.path.join(FIXTURES, name.rsplit(".", 1)[0] + ".reference.csv")
    versions = (f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
                f"TA-Lib (Python) {talib.__version__}, TA-Lib (C) {talib.__ta_version__.decode().split(' ')[0]}")
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# Reference indicator values for {name}, one row per bar in file order; empty = not ready.\n")
        f.write("# Made by scripts/reference/make_indicator_reference.py with " + versions + ".\n")
        f.write("# TA-Lib: SMA EMA STDDEV BBANDS(matype SMA) ATR RSI ADX PLUS_DI MINUS_DI MAX(high) MIN(low); "
                "numpy/pandas: sstddev (ddof=1), zscore (population), vwap (typical price, per session).\n")
        names = list(cols)
        f.write(",".join(names) + "\n")
        for i in range(len(cols[names[0]])):
            f.write(",".join(fmt(cols[k][i]) for k in names) + "\n")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--slice-from", metavar="SHARED_DATA_DIR",
                   help="re-cut the data slices from this folder before computing")
    args = p.parse_args()
    os.makedirs(FIXTURES, exist_ok=True)
    if args.slice_from:
        cut_slices(args.slice_from)
    for name in SLICES:
        out = write(name, reference(name))
        print(f"{os.path.relpath(out, ROOT)}: {os.path.getsize(out)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
