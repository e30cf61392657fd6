#!/usr/bin/env python3
"""The bollinger_reference preset in backtrader; prints one JSON line.

Semantics (see plain_python.py): SMA(20) and population sigma of the last 20 closes at each bar close;
flat and close < SMA - 2*sigma: buy 1 at the next bar's open; long and close > SMA: sell 1 at the next
bar's open; no costs, no slippage; a signal on the last bar is dropped; an open position is reported.

backtrader mapping:
- A Market order created in `next()` is executed by the default broker at the *next* bar's open,
  which is exactly the preset's fill rule (no cheat-on-open, no cheat-on-close).
- An order created on the last bar stays Submitted/Accepted and never executes: dropped.
- Trades are counted from `notify_trade` (closed trades) and P&L is backtrader's `trade.pnl`
  (gross; commission is zero). An open position at the end is left open.
- Signals (default `--signals exact`): decided in the strategy from the closes in integer paise
  (rolling sum and sum of squares), so ties such as close == SMA give no signal, as the preset says.
  Natively (`--signals native`) backtrader's BollingerBands(20, 2) computes the band with
  StandardDeviation = sqrt(|mean(x^2) - mean(x)^2|) in floating point, which on prices near ₹10,000
  cancels catastrophically and also decides close == SMA ties by rounding luck.
"""
import warnings

import backtrader as bt

import _common as C


class Reference(bt.Strategy):
    params = (("native", False),)

    def __init__(self):
        self.trades = 0
        self.gross = 0.0
        self.wins = 0
        self.fills = []  # executed prices in order: buy, sell, buy, sell, ...
        if self.p.native:
            self.bb = bt.ind.BollingerBands(self.data.close, period=C.N, devfactor=float(C.K))
        else:
            self.roll = C.RollingExact()

    def notify_order(self, order):
        if order.status == order.Completed:
            self.fills.append(C.paise(order.executed.price))

    def notify_trade(self, trade):
        if trade.isclosed:
            self.trades += 1
            self.gross += trade.pnl
            self.wins += trade.pnl > 0

    def next(self):
        if self.p.native:
            c = self.data.close[0]
            entry, exit_ = c < self.bb.bot[0], c > self.bb.mid[0]
        else:
            entry, exit_ = self.roll.update(C.paise(self.data.close[0]))
        if not self.position:
            if entry:
                self.buy(size=1)
        elif exit_:
            self.sell(size=1)


def main():
    a = C.args(__doc__.splitlines()[0])
    t = C.Timer()
    df = C.read_frame(a.csv)
    load = t.lap()

    cerebro = bt.Cerebro(stdstats=False)  # no observers: they only feed plots
    cerebro.adddata(bt.feeds.PandasData(dataname=df, open="Open", high="High", low="Low",
                                        close="Close", volume="Volume", openinterest=None))
    cerebro.addstrategy(Reference, native=a.signals == "native")
    cerebro.broker.setcash(1e12)  # never constrains a 1-unit position
    cerebro.broker.setcommission(commission=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        strat = cerebro.run()[0]
    run = t.lap()

    pos = strat.position.size
    C.emit(
        engine="backtrader", version=bt.__version__, bars=len(df), trades=strat.trades,
        gross_pnl_paise=C.pnl_paise(strat.gross), open_position=int(pos),
        load_seconds=load, backtest_seconds=run,
        load_cpu_seconds=t.cpu[0], backtest_cpu_seconds=t.cpu[1],
        signals=a.signals, winning_trades=strat.wins,
        open_entry_price_paise=C.paise(strat.position.price) if pos else None,
        trades_digest=C.digest(zip(strat.fills[0::2], strat.fills[1::2])),
        notes="Market orders from next() fill at the next bar's open (backtrader default broker); "
              + ("signals decided exactly in integer paise inside the strategy; "
                 if a.signals == "exact" else "signals from bt.ind.BollingerBands (float, "
                 "sqrt(E[x^2]-E[x]^2)); ")
              + "Cerebro(stdstats=False), cash 1e12, zero commission.",
    )


if __name__ == "__main__":
    main()
