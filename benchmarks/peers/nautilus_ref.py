#!/usr/bin/env python3
"""The bollinger_reference preset in NautilusTrader; prints one JSON line.

Semantics (see plain_python.py): SMA(20) and population sigma of the last 20 closes at each bar close;
flat and close < SMA - 2*sigma: buy 1 at the next bar's open; long and close > SMA: sell 1 at the next
bar's open; no costs, no slippage; a signal on the last bar is dropped; an open position is reported.

NautilusTrader mapping:
- Out of the box (`--execution bar-close`) NautilusTrader has no "fill at the next bar's open" for
  bar data: the venue replays each bar as open -> high -> low -> close *before* the strategy's
  `on_bar`, so a market order submitted there fills at once against the last price, the signal
  bar's close (a latency model does not help: the delayed order meets the next bar only after that
  bar's whole O-H-L-C has been replayed).
- Default (`--execution next-open`), the maintainers' recommended pattern: the venue is driven by
  one quote tick per bar at the bar's start, bid = ask = open (`bar_execution=False`, so bars only
  feed the strategy), and bars carry `ts_event = ts_init =` bar end, as Nautilus requires. The bar
  ending at t is delivered before the quote stamped t (bars are added first and the engine's sort is
  stable), `on_bar` only records the decision, and `on_quote_tick` submits the market order, which
  fills at that quote: the next bar's open. After the last bar no quote follows: dropped.
- Instrument: an equity on venue XNSE in INR, tick 0.05, lot 1, maker/taker fee 0; a CASH account,
  NETTING OMS, L1 book, default fill model (no slippage). Round trips are counted from
  `on_position_closed` and P&L is Nautilus' `realized_pnl`; an open position is left open.
- Signals (default `--signals exact`) are decided in integer paise in the strategy. Natively
  (`--signals native`) Nautilus' `BollingerBands(20, 2)` is updated with the close
  (`update_raw(c, c, c)`; its `handle_bar` would use the typical price (h+l+c)/3) and the comparison
  is in floating point.
- Timing: `load_seconds` is reading the CSV *and* building Nautilus' Bar/QuoteTick objects (the
  engine cannot read a CSV itself); `backtest_seconds` is `engine.run()` (post-run analysis off).
"""
import argparse
import os
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")

import nautilus_trader  # noqa: E402
from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig  # noqa: E402
from nautilus_trader.config import LoggingConfig, StrategyConfig  # noqa: E402
from nautilus_trader.indicators import BollingerBands  # noqa: E402
from nautilus_trader.model.currencies import INR  # noqa: E402
from nautilus_trader.model.data import BarType  # noqa: E402
from nautilus_trader.model.enums import AccountType, OmsType, OrderSide  # noqa: E402
from nautilus_trader.model.identifiers import InstrumentId, Symbol, TraderId, Venue  # noqa: E402
from nautilus_trader.model.instruments import Equity  # noqa: E402
from nautilus_trader.model.objects import Money, Price, Quantity  # noqa: E402
from nautilus_trader.persistence.wranglers import BarDataWrangler, QuoteTickDataWrangler  # noqa: E402
from nautilus_trader.trading.strategy import Strategy  # noqa: E402

import _common as C  # noqa: E402

MINUTE_NS = 60_000_000_000
VENUE = Venue("XNSE")
INSTRUMENT_ID = InstrumentId(Symbol("REF"), VENUE)
BAR_TYPE = BarType.from_str(f"{INSTRUMENT_ID}-1-MINUTE-LAST-EXTERNAL")


class ReferenceConfig(StrategyConfig, frozen=True):
    native: bool = False
    next_open: bool = True


class Reference(Strategy):
    def __init__(self, config: ReferenceConfig):
        super().__init__(config)
        self.native = config.native
        self.next_open = config.next_open
        self.roll = C.RollingExact()
        self.bb = BollingerBands(C.N, float(C.K))
        self.pending = None  # OrderSide decided at a bar close, sent at the next open
        self.trades = 0
        self.wins = 0
        self.gross = 0.0
        self.fills = []  # fill prices in paise, in order

    def on_start(self):
        self.qty = Quantity.from_int(1)
        self.subscribe_bars(BAR_TYPE)
        if self.next_open:
            self.subscribe_quote_ticks(INSTRUMENT_ID)

    def on_bar(self, bar):
        if self.native:
            c = bar.close.as_double()
            self.bb.update_raw(c, c, c)
            if not self.bb.initialized:
                return
            entry, exit_ = c < self.bb.lower, c > self.bb.middle
        else:
            entry, exit_ = self.roll.update(C.paise(bar.close.as_double()))
        side = None
        if self.portfolio.is_flat(INSTRUMENT_ID):
            if entry:
                side = OrderSide.BUY
        elif exit_:
            side = OrderSide.SELL
        if side is None:
            return
        if self.next_open:
            self.pending = side
        else:
            self._submit(side)

    def on_quote_tick(self, tick):
        if self.pending is not None:
            side, self.pending = self.pending, None
            self._submit(side)

    def _submit(self, side):
        self.submit_order(self.order_factory.market(INSTRUMENT_ID, side, self.qty))

    def on_order_filled(self, event):
        self.fills.append(C.paise(event.last_px.as_double()))

    def on_position_closed(self, event):
        pnl = event.realized_pnl.as_double()
        self.trades += 1
        self.gross += pnl
        self.wins += pnl > 0


def build_engine(df, next_open):
    engine = BacktestEngine(config=BacktestEngineConfig(
        trader_id=TraderId("BENCH-001"),
        logging=LoggingConfig(log_level="ERROR"),
        run_analysis=False,
    ))
    engine.add_venue(
        venue=VENUE, oms_type=OmsType.NETTING, account_type=AccountType.CASH,
        starting_balances=[Money(1_000_000_000, INR)], base_currency=INR,
        bar_execution=not next_open,
    )
    instrument = Equity(
        instrument_id=INSTRUMENT_ID, raw_symbol=Symbol("REF"), currency=INR, price_precision=2,
        price_increment=Price.from_str("0.05"), lot_size=Quantity.from_int(1),
        ts_event=0, ts_init=0, maker_fee=0, taker_fee=0,
    )
    engine.add_instrument(instrument)

    # Bars stamped at their end (Nautilus' execution convention): ts_event = ts_init = start + 1 min.
    bars_df = df.rename(columns=str.lower)
    bars_df.index = df.index + pd.Timedelta(minutes=1)
    bars = BarDataWrangler(BAR_TYPE, instrument).process(bars_df)
    engine.add_data(bars)
    if next_open:
        # One quote per bar at its start, bid = ask = open, to drive the venue.
        quotes_df = pd.DataFrame({"bid_price": df["Open"].to_numpy(), "ask_price": df["Open"].to_numpy()},
                                 index=df.index)
        engine.add_data(QuoteTickDataWrangler(instrument).process(quotes_df))
    return engine


def main():
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--execution", choices=("next-open", "bar-close"), default="next-open")
    e, rest = extra.parse_known_args()
    sys.argv = [sys.argv[0]] + rest
    a = C.args(__doc__.splitlines()[0] + " [--execution next-open|bar-close]")
    next_open = e.execution == "next-open"

    t = C.Timer()
    df = C.read_frame(a.csv)
    engine = build_engine(df, next_open)
    strategy = Reference(ReferenceConfig(native=a.signals == "native", next_open=next_open))
    engine.add_strategy(strategy)
    load = t.lap()
    engine.run()
    run = t.lap()

    pos = engine.cache.positions_open(instrument_id=INSTRUMENT_ID)
    net = sum(p.signed_qty for p in pos)
    fills = strategy.fills
    closed_pairs = list(zip(fills[0::2], fills[1::2]))
    engine.dispose()
    C.emit(
        engine="nautilus_trader", version=nautilus_trader.__version__, bars=len(df),
        trades=strategy.trades, gross_pnl_paise=C.pnl_paise(strategy.gross),
        open_position=int(net), load_seconds=load, backtest_seconds=run,
        load_cpu_seconds=t.cpu[0], backtest_cpu_seconds=t.cpu[1],
        signals=a.signals, execution=e.execution, winning_trades=strategy.wins,
        open_entry_price_paise=fills[-1] if len(fills) % 2 else None,
        trades_digest=C.digest(closed_pairs),
        notes=("next-open: venue driven by one quote per bar at its start (bid=ask=open, "
               "bar_execution off); the order decided in on_bar is sent on the next quote and fills "
               "at the next bar's open; " if next_open else
               "bar-close: Nautilus' native bar execution; the market order sent in on_bar fills at "
               "the signal bar's close, NOT the next open; ")
              + ("signals exact in integer paise; " if a.signals == "exact" else
                 "signals from BollingerBands(20, 2) fed the close (float); ")
              + "load_seconds includes building Nautilus Bar/QuoteTick objects; CASH account, "
                "NETTING, zero fees, default fill model.",
    )
    sys.stdout.flush()
    os._exit(0)  # skip slow interpreter teardown of millions of Cython objects


if __name__ == "__main__":
    main()
