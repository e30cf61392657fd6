#!/usr/bin/env python3
"""The bollinger_reference preset in backtesting.py; prints one JSON line.

Semantics (see plain_python.py): SMA(20) and population sigma of the last 20 closes at each bar close;
flat and close < SMA - 2*sigma: buy 1 at the next bar's open; long and close > SMA: sell 1 at the next
bar's open; no costs, no slippage; a signal on the last bar is dropped; an open position is reported.

backtesting.py mapping:
- `Backtest(trade_on_close=False)` (the default) fills market orders placed in `next()` at the next
  bar's open. `size=1` is one unit. Spread and commission are zero.
- `finalize_trades=False` (the default since 0.6): a trade still open at the end is NOT closed at the
  last close; it is read from the strategy's open trades and reported as `open_position`, and it is
  not in `stats._trades`. An order placed in the last `next()` is never filled: dropped.
- Signals (default `--signals exact`) are precomputed with `Strategy.I` as boolean arrays decided in
  integer paise, the idiomatic backtesting.py way (indicators are vectorised up front). They have no
  NaN warm-up, so `next()` runs from the second bar on.
  Natively (`--signals native`) one would write `self.I` over pandas `rolling(20).mean()` and
  `rolling(20).std(ddof=0)`: floating point decides close == SMA ties, and backtesting.py then skips
  the NaN warm-up *plus one bar* (`start = 1 + warm-up`), so the first full window (bar 19) is never
  evaluated and its signal is lost.
"""
import os
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")  # backtesting.py's progress bar would clutter stderr

import numpy as np
import pandas as pd
import backtesting
from backtesting import Backtest, Strategy

import _common as C


def _entry(close):
    return C.exact_signals(C.paise_array(close))[0]


def _exit(close):
    return C.exact_signals(C.paise_array(close))[1]


def _sma(close):
    return pd.Series(close).rolling(C.N).mean().to_numpy()


def _lower(close):
    r = pd.Series(close).rolling(C.N)
    return (r.mean() - C.K * r.std(ddof=0)).to_numpy()


class Reference(Strategy):
    native = False

    def init(self):
        if self.native:
            self.sma = self.I(_sma, self.data.Close, name="SMA20")
            self.lower = self.I(_lower, self.data.Close, name="BB-lower")
        else:
            self.entry = self.I(_entry, self.data.Close, name="entry", plot=False)
            self.exit = self.I(_exit, self.data.Close, name="exit", plot=False)

    def next(self):
        if self.native:
            c = self.data.Close[-1]
            entry, exit_ = c < self.lower[-1], c > self.sma[-1]
        else:
            entry, exit_ = self.entry[-1], self.exit[-1]
        if not self.position:
            if entry:
                self.buy(size=1)
        elif exit_:
            self.position.close()


def main():
    a = C.args(__doc__.splitlines()[0])
    t = C.Timer()
    df = C.read_frame(a.csv)
    load = t.lap()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = Backtest(df, Reference, cash=1e12, spread=0.0, commission=0.0, margin=1.0,
                      trade_on_close=False, hedging=False, exclusive_orders=False,
                      finalize_trades=False)
        stats = bt.run(native=a.signals == "native")
    run = t.lap()

    closed = stats["_trades"]
    open_trades = stats["_strategy"].trades
    pos = int(sum(tr.size for tr in open_trades))
    C.emit(
        engine="backtesting.py", version=backtesting.__version__, bars=len(df),
        trades=int(len(closed)), gross_pnl_paise=C.pnl_paise(np.sum(closed["PnL"].to_numpy())),
        open_position=pos, load_seconds=load, backtest_seconds=run,
        load_cpu_seconds=t.cpu[0], backtest_cpu_seconds=t.cpu[1],
        signals=a.signals, winning_trades=int((closed["PnL"] > 0).sum()),
        open_entry_price_paise=C.paise(open_trades[0].entry_price) if pos else None,
        trades_digest=C.digest(zip(closed["EntryPrice"], closed["ExitPrice"])),
        notes="trade_on_close=False: market orders fill at the next bar's open; finalize_trades=False: "
              "an open trade stays open and is reported separately; "
              + ("signals precomputed exactly in integer paise via Strategy.I; "
                 if a.signals == "exact" else "signals from pandas rolling mean/std(ddof=0) via "
                 "Strategy.I (float ties; warm-up skips bar 19); ")
              + "cash 1e12, spread 0, commission 0.",
    )


if __name__ == "__main__":
    main()
