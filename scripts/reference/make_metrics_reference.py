#!/usr/bin/env python3
"""Reference values for the backtest metrics, computed by empyrical-reloaded.

Writes Tests/AlphaPrimeTests/Fixtures/metrics/empyrical_reference.json: a few daily equity curves
(integer paise, with their starting capital) and what empyrical says about their daily returns.
The Swift tests (MetricsReferenceTests) feed the same curves to PerformanceMetrics and require
agreement to 1e-9 relative.

Daily returns are formed exactly as the Swift side forms them: r_t = E_t / E_{t-1} - 1 in float64,
with E_0 = the starting capital. An annual risk-free rate is turned into a daily one the way
empyrical turns an annual required return into a per-period one (omega_ratio):
(1 + annual) ** (1 / 252) - 1; that daily rate is the risk_free of sharpe_ratio and the
required_return of sortino_ratio.

Curves:
  * NIFTY 50 held as 100 units of the index (equity = 100 x close, in paise) over several windows
    of real daily closes from ../shared/data/daily/NIFTY50_daily_2005_2026.csv; the starting
    capital is 100 x the close of the trading day before the window.
  * A synthetic intraday-strategy curve (seeded): most days flat (no trade, equity unchanged),
    the others a whole-paise P&L.
  * Small edge cases: a flat curve, a curve that only rises, one day, two days.

Usage: python3 scripts/reference/make_metrics_reference.py [--data PATH] [--out PATH]
(needs: pip install empyrical-reloaded numpy pandas; run from the repository root).
"""

import argparse
import csv
import json
import math
import platform
import sys
from decimal import Decimal
from importlib.metadata import version

import empyrical
import numpy as np

ANNUALIZATION = 252
METRICS = [
    "cum_returns_final",
    "annual_return",
    "annual_volatility",
    "sharpe_ratio",
    "sortino_ratio",
    "calmar_ratio",
    "max_drawdown",
]


def paise(text):
    """Exact rupees -> paise (no float on the way)."""
    value = Decimal(text) * 100
    if value != value.to_integral_value():
        raise ValueError(f"more than two decimals: {text}")
    return int(value)


def load_nifty(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [(r["date"], paise(r["close"])) for r in rows]


def daily_returns(starting_capital, equity):
    previous = np.array([starting_capital] + equity[:-1], dtype=np.float64)
    current = np.array(equity, dtype=np.float64)
    return current / previous - 1.0


def encode(x):
    """JSON has no NaN or infinity: write them as strings the Swift test understands."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def expected(starting_capital, equity, risk_free_annual):
    r = daily_returns(starting_capital, equity)
    rf = (1.0 + risk_free_annual) ** (1.0 / ANNUALIZATION) - 1.0
    values = {
        "cum_returns_final": empyrical.cum_returns_final(r),
        "annual_return": empyrical.annual_return(r, period="daily"),
        "annual_volatility": empyrical.annual_volatility(r, period="daily"),
        "sharpe_ratio": empyrical.sharpe_ratio(r, risk_free=rf, period="daily"),
        "sortino_ratio": empyrical.sortino_ratio(r, required_return=rf, period="daily"),
        "calmar_ratio": empyrical.calmar_ratio(r, period="daily"),
        "max_drawdown": empyrical.max_drawdown(r),
    }
    return rf, {k: encode(values[k]) for k in METRICS}


def case(name, source, starting_capital, equity, risk_free_annual=0.0, first=None, last=None):
    rf, values = expected(starting_capital, equity, risk_free_annual)
    out = {"name": name, "source": source}
    if first:
        out["first_date"], out["last_date"] = first, last
    out.update({
        "starting_capital_paise": starting_capital,
        "risk_free_annual": risk_free_annual,
        "risk_free_daily": rf,
        "expected": values,
        "equity_paise": equity,
    })
    return out


def nifty_window(closes, start, end, units=100):
    """Equity of `units` index units from `start` to `end` (inclusive); the capital is the prior close."""
    idx = [i for i, (d, _) in enumerate(closes) if start <= d <= end]
    if not idx or idx[0] == 0:
        raise ValueError(f"window {start}..{end} needs a trading day before it")
    equity = [closes[i][1] * units for i in idx]
    capital = closes[idx[0] - 1][1] * units
    return capital, equity, closes[idx[0]][0], closes[idx[-1]][0]


def synthetic_strategy(days=500, seed=20_240_601):
    """An intraday strategy's day-end equity: flat on ~45% of days, a whole-paise P&L otherwise."""
    rng = np.random.default_rng(seed)
    capital = 10_000_000_00  # ₹1 crore in paise
    equity, e = [], capital
    for _ in range(days):
        if rng.random() >= 0.45:
            # Skewed P&L: many small losses, fewer larger wins; charges make it whole paise anyway.
            pnl = rng.normal(12_000_00, 95_000_00) if rng.random() < 0.5 else rng.normal(-9_000_00, 40_000_00)
            e += int(round(pnl))
        equity.append(e)
    return capital, equity


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data/daily/NIFTY50_daily_2005_2026.csv")
    parser.add_argument("--out", default="Tests/AlphaPrimeTests/Fixtures/metrics/empyrical_reference.json")
    args = parser.parse_args()

    closes = load_nifty(args.data)
    source = "NIFTY 50 daily close x 100 units (NIFTY50_daily_2005_2026.csv)"
    cases = []
    for name, start, end, rf in [
        ("NIFTY 50 2008 (crash)", "2008-01-01", "2008-12-31", 0.0),
        ("NIFTY 50 2020 (COVID fall and recovery)", "2020-01-01", "2020-12-31", 0.0),
        ("NIFTY 50 2021, risk-free 6.5%", "2021-01-01", "2021-12-31", 0.065),
        ("NIFTY 50 2023, risk-free 7%", "2023-01-01", "2023-12-31", 0.07),
        ("NIFTY 50 2015-2019", "2015-01-01", "2019-12-31", 0.0),
        ("NIFTY 50 2024-07 to 2026-02", "2024-07-01", "2026-02-27", 0.0),
    ]:
        capital, equity, first, last = nifty_window(closes, start, end)
        cases.append(case(name, source, capital, equity, rf, first, last))

    capital, equity = synthetic_strategy()
    gen = "synthetic intraday strategy, numpy default_rng(20240601), ~45% flat days"
    cases.append(case("synthetic strategy", gen, capital, equity, 0.0))
    cases.append(case("synthetic strategy, risk-free 6%", gen, capital, equity, 0.06))

    hand = "hand-made edge case"
    cases.append(case("flat curve", hand, 1_000_000_00, [1_000_000_00] * 10))
    cases.append(case("only rises", hand, 1_000_000_00, [1_000_000_00 + 1_000_00 * k for k in range(1, 21)]))
    cases.append(case("one day", hand, 1_000_000_00, [1_010_000_00]))
    cases.append(case("two days", hand, 1_000_000_00, [990_000_00 * 1, 1_005_000_00]))

    fixture = {
        "generator": "scripts/reference/make_metrics_reference.py",
        "versions": {
            "python": platform.python_version(),
            "empyrical-reloaded": version("empyrical-reloaded"),
            "numpy": np.__version__,
            "pandas": version("pandas"),
            "bottleneck": version("bottleneck") if _has("bottleneck") else None,
        },
        "conventions": (
            "r_t = E_t / E_(t-1) - 1 (float64), E_0 = starting capital; period 'daily' (252); "
            "risk_free_daily = (1 + risk_free_annual) ** (1/252) - 1, used as sharpe_ratio risk_free "
            "and sortino_ratio required_return; NaN and infinities are written as strings"
        ),
        "metrics": METRICS,
        "cases": cases,
    }
    with open(args.out, "w") as f:
        # One case per line keeps the fixture compact and its diffs readable.
        f.write("{\n")
        keys = list(fixture)
        for i, key in enumerate(keys):
            if key == "cases":
                f.write(' "cases": [\n')
                f.write(",\n".join("  " + json.dumps(c, separators=(",", ":")) for c in cases))
                f.write("\n ]")
            else:
                f.write(f" {json.dumps(key)}: {json.dumps(fixture[key])}")
            f.write(",\n" if i < len(keys) - 1 else "\n")
        f.write("}\n")
    print(f"wrote {args.out}: {len(cases)} cases", file=sys.stderr)


def _has(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


if __name__ == "__main__":
    main()
