#!/usr/bin/env python3
"""Where do the engines' own floating-point Bollinger indicators disagree with the exact decision?

For each bar close from the first full window on, compares the preset's two conditions decided in
integer paise (close < SMA - 2*sigma, close > SMA) with the same conditions computed from each
engine's native indicator values, and counts exact ties (close == SMA, close == SMA - 2*sigma) and
flipped decisions. Explains the `--signals native` rows of run_peers.py. Run with the peers' venv:

    benchmarks/.venv/bin/python benchmarks/peers/native_signal_check.py FILE
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

import _common as C  # noqa: E402


def flips(name, entry, exit_, ent, ex, ties_mid, first):
    sl = slice(first, None)
    return {
        "indicator": name,
        "entry_flips": int(np.sum(entry[sl] != ent[sl])),
        "exit_flips": int(np.sum(exit_[sl] != ex[sl])),
        "exit_flips_at_exact_ties": int(np.sum((exit_ != ex) & ties_mid)),
    }


def main(path):
    df = C.read_frame(path)
    close = df["Close"].to_numpy()
    cp = C.paise_array(close)
    n, N = len(cp), C.N
    ent, ex = C.exact_signals(cp)
    win = np.lib.stride_tricks.sliding_window_view(cp, N)
    s = win.sum(axis=1)
    q = (win * win).sum(axis=1)
    ties_mid = np.zeros(n, bool)
    ties_mid[N - 1:] = N * cp[N - 1:] == s
    d = s - N * cp[N - 1:]
    ties_low = np.zeros(n, bool)
    ties_low[N - 1:] = (d > 0) & (d * d == 4 * (N * q - s * s))
    out = {"bars": n, "exact_ties_close_eq_sma": int(ties_mid.sum()),
           "exact_ties_close_eq_lower_band": int(ties_low.sum()),
           "entry_signal_on_first_full_window": bool(ent[N - 1]), "engines": []}
    first = N - 1

    # backtesting.py, the usual way: pandas rolling mean / std(ddof=0).
    r = pd.Series(close).rolling(N)
    sma, sd = r.mean().to_numpy(), r.std(ddof=0).to_numpy()
    out["engines"].append(flips("pandas rolling mean/std(ddof=0) (backtesting.py)",
                                close < sma - C.K * sd, close > sma, ent, ex, ties_mid, first))

    import vectorbt as vbt
    bb = vbt.BBANDS.run(df["Close"], window=N, ewm=False, alpha=float(C.K))
    out["engines"].append(flips("vbt.BBANDS (vectorbt)", close < bb.lower.to_numpy(),
                                close > bb.middle.to_numpy(), ent, ex, ties_mid, first))

    import backtrader as bt

    class Record(bt.Strategy):
        def __init__(self):
            self.bb = bt.ind.BollingerBands(self.data.close, period=N, devfactor=float(C.K))
            self.mid, self.bot = [], []

        def next(self):
            self.mid.append(self.bb.mid[0])
            self.bot.append(self.bb.bot[0])

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=df, open="Open", high="High", low="Low",
                                        close="Close", volume="Volume", openinterest=None))
    cerebro.addstrategy(Record)
    rec = cerebro.run()[0]
    mid = np.full(n, np.nan)
    bot = np.full(n, np.nan)
    mid[N - 1:] = rec.mid
    bot[N - 1:] = rec.bot
    out["engines"].append(flips("bt.ind.BollingerBands (backtrader)", close < bot, close > mid,
                                ent, ex, ties_mid, first))

    from nautilus_trader.indicators import BollingerBands
    nb = BollingerBands(N, float(C.K))
    mid = np.full(n, np.nan)
    low = np.full(n, np.nan)
    for i, c in enumerate(close.tolist()):
        nb.update_raw(c, c, c)
        if nb.initialized:
            mid[i], low[i] = nb.middle, nb.lower
    out["engines"].append(flips("BollingerBands fed the close (nautilus_trader)", close < low,
                                close > mid, ent, ex, ties_mid, first))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
