"""Shared pieces of the peer-engine scripts: reading the canonical CSV, the exact signal, the report.

Every peer script runs the `bollinger_reference` preset (see plain_python.py, the ground truth) and
prints one JSON line. Prices arrive in rupees on the 0.05 grid; `paise()` turns a float rupee price
back into its exact integer paise (the float nearest to 10000.05 is not 10000.05, but rounding
price * 100 to the nearest integer recovers the grid value exactly for any price below ₹10^13).
"""
import argparse
import hashlib
import json
import math
import time

import numpy as np
import pandas as pd

N = 20  # SMA / standard deviation window
K = 2  # band width in standard deviations


def args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("csv", help="canonical bar file: timestamp,open,high,low,close,volume")
    p.add_argument(
        "--signals",
        choices=("exact", "native"),
        default="exact",
        help="exact: decide the comparisons in integer paise (default); native: use the engine's "
        "own floating-point indicators, to show what a trader would get out of the box",
    )
    return p.parse_args()


def read_frame(path):
    """The canonical CSV as a DataFrame indexed by UTC bar start, columns Open..Volume."""
    df = pd.read_csv(path, dtype={"open": "f8", "high": "f8", "low": "f8", "close": "f8", "volume": "f8"})
    df.index = pd.DatetimeIndex(pd.to_datetime(df.pop("timestamp"), format="%Y-%m-%dT%H:%M:%SZ", utc=True))
    df.columns = ["Open", "High", "Low", "Close", "Volume"]
    return df


def paise(rupees):
    """Exact paise of a rupee price on the 0.05 grid (float in, int out)."""
    return int(round(rupees * 100))


def paise_array(values):
    return np.rint(np.asarray(values, dtype="f8") * 100).astype(np.int64)


def exact_signals(close_paise):
    """Entry and exit conditions at each bar close, decided exactly in integer paise.

    entry[i]: close < SMA - 2*sigma  <=>  d = s - N*c > 0 and d^2 > 4*(N*q - s^2)
    exit[i]:  close > SMA            <=>  N*c > s
    where s and q are the sum and the sum of squares of the last N closes. Both are False before the
    first full window. Python ints are used for the squares when the magnitudes could overflow int64.
    """
    c = np.asarray(close_paise, dtype=np.int64)
    n = len(c)
    entry = np.zeros(n, dtype=bool)
    exit_ = np.zeros(n, dtype=bool)
    if n < N:
        return entry, exit_
    win = np.lib.stride_tricks.sliding_window_view(c, N)
    s = win.sum(axis=1)
    cc = c[N - 1 :]
    if int(np.abs(c).max()) < 2**31 // (2 * N):  # 4*(N*q - s^2) and d^2 stay inside int64
        q = (win * win).sum(axis=1)
        d = s - N * cc
        var4 = 4 * (N * q - s * s)
        entry[N - 1 :] = (d > 0) & (d * d > var4)
    else:  # exact but slow path for absurd prices
        for j in range(len(cc)):
            w = [int(x) for x in win[j]]
            sj, qj = sum(w), sum(x * x for x in w)
            dj = sj - N * int(cc[j])
            entry[N - 1 + j] = dj > 0 and dj * dj > 4 * (N * qj - sj * sj)
    exit_[N - 1 :] = N * cc > s
    return entry, exit_


class RollingExact:
    """Streaming version of exact_signals for event-driven engines: O(1) integer updates per bar."""

    __slots__ = ("buf", "i", "s", "q")

    def __init__(self):
        self.buf = [0] * N
        self.i = 0
        self.s = 0
        self.q = 0

    def update(self, c):
        """Add close `c` (paise); return (entry, exit) or (False, False) before the window is full."""
        j = self.i % N
        old = self.buf[j]
        self.buf[j] = c
        self.s += c - old
        self.q += c * c - old * old
        self.i += 1
        if self.i < N:
            return False, False
        s = self.s
        d = s - N * c
        return (d > 0 and d * d > 4 * (N * self.q - s * s)), N * c > s


def pnl_paise(rupees_float):
    """An engine's float P&L in rupees, as integer paise."""
    if rupees_float is None or (isinstance(rupees_float, float) and math.isnan(rupees_float)):
        return 0
    return int(round(float(rupees_float) * 100))


def digest(pairs):
    """Short SHA-256 of the closed trades' (entry, exit) fill prices in paise, in order.

    Same function as in plain_python.py, so equal digests mean the same fills in the same order.
    """
    h = hashlib.sha256()
    for entry, exit_ in pairs:
        e = entry if isinstance(entry, (int, np.integer)) else paise(entry)
        x = exit_ if isinstance(exit_, (int, np.integer)) else paise(exit_)
        h.update(f"{int(e)},{int(x)}\n".encode())
    return h.hexdigest()[:16]


class Timer:
    """Wall-clock laps, with the process CPU time of each lap kept in `.cpu` (the machine is shared:
    wall time includes waiting for a core, CPU time does not)."""

    def __init__(self):
        self.t = time.perf_counter()
        self.c = time.process_time()
        self.cpu = []

    def lap(self):
        now, cnow = time.perf_counter(), time.process_time()
        dt, self.t = now - self.t, now
        self.cpu.append(round(cnow - self.c, 4))
        self.c = cnow
        return round(dt, 4)


def emit(**fields):
    keys = ["engine", "version", "bars", "trades", "gross_pnl_paise", "open_position",
            "load_seconds", "backtest_seconds", "notes"]
    out = {k: fields.pop(k, None) for k in keys}
    out.update(fields)
    print(json.dumps(out), flush=True)
