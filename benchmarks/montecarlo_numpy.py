#!/usr/bin/env python3
"""Monte Carlo trade bootstrap in NumPy: the comparison for ALPHA-PRIME's `MonteCarlo.tradeBootstrap`.

The same resampling as the Swift side: every path draws as many trades as the list has, with
replacement, and adds their net P&L (integer paise) to the starting capital. Vectorised the usual way:
`rng.integers` index matrix -> P&L matrix -> cumulative sums -> running maximum (the starting capital is
the first peak) -> drawdown as a fraction of the peak -> per-path max drawdown and final return ->
percentiles (NumPy's default "linear" method, which the Swift side uses too). Paths are taken in
chunks of rows so the matrices stay in memory (10,000 x 18,500 int64 would be 1.5 GB per matrix);
small chunks that stay in the cache are the fastest on a 2-core machine (10 rows measured best among
5 to 1,000, and better than laying paths out as columns).

The generators differ (PCG64 here, xoshiro256** in Swift), so the two sides agree in distribution, not
path for path: their percentiles should be close.

    # a seeded trade list, one net P&L in paise per line (pure Python, independent of NumPy's version)
    benchmarks/montecarlo_numpy.py --generate 18421 --seed 7 --out /tmp/mc_trades.csv
    # 10,000 paths over it; prints one JSON line with the time and the percentiles
    benchmarks/montecarlo_numpy.py /tmp/mc_trades.csv --paths 10000 --seed 1 --capital 100000000
"""
import argparse
import hashlib
import json
import random
import sys
import time

LEVELS = [1, 5, 25, 50, 75, 95, 99]


def generate(count: int, seed: int, out_path: str) -> None:
    """Intraday trades of about one lot: 47 % winners (mean about Rs 1,900), losers cut at their stop
    (mean about Rs 1,500), Rs 55 of charges each; net P&L rounded to the paisa."""
    rng = random.Random(seed)
    with open(out_path, "w") as out:
        for _ in range(count):
            if rng.random() < 0.47:
                rupees = rng.lognormvariate(7.3, 0.6)
            else:
                rupees = -min(rng.lognormvariate(7.2, 0.35), 4_000.0)
            out.write(f"{round(rupees * 100) - 5_500}\n")
    with open(out_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(json.dumps({"trades": count, "seed": seed, "path": out_path, "sha256": digest}))


def load(path: str):
    import numpy as np
    with open(path, "rb") as f:
        return np.array([int(line) for line in f.read().split()], dtype=np.int64)


def simulate(pnl, paths: int, seed: int, capital: int, chunk: int):
    import numpy as np
    rng = np.random.default_rng(seed)
    n = pnl.shape[0]
    final = np.empty(paths, dtype=np.float64)
    max_dd = np.empty(paths, dtype=np.float64)
    for first in range(0, paths, chunk):
        rows = min(chunk, paths - first)
        idx = rng.integers(0, n, size=(rows, n))
        equity = pnl[idx]                                   # P&L matrix
        np.cumsum(equity, axis=1, out=equity)
        equity += capital                                   # equity after each trade
        peak = np.maximum.accumulate(equity, axis=1)
        np.maximum(peak, capital, out=peak)                 # the starting capital is the first peak
        np.subtract(peak, equity, out=idx)                  # drawdown in paise
        dd = idx / peak                                     # as a fraction of the peak
        max_dd[first:first + rows] = dd.max(axis=1)
        final[first:first + rows] = (equity[:, -1] - capital) / capital
    return final, max_dd


def distribution(fractions):
    import numpy as np
    pct = np.percentile(fractions, LEVELS) * 100
    out = {f"p{level}": float(v) for level, v in zip(LEVELS, pct)}
    out.update(mean=float(fractions.mean() * 100), min=float(fractions.min() * 100),
               max=float(fractions.max() * 100))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trades", nargs="?", help="CSV with one net P&L in paise per line")
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--capital", type=int, default=100_000_000, help="starting capital in paise")
    parser.add_argument("--chunk", type=int, default=10, help="paths per vectorised chunk")
    parser.add_argument("--generate", type=int, metavar="N", help="write a seeded list of N trades and exit")
    parser.add_argument("--out", help="where --generate writes")
    args = parser.parse_args()

    if args.generate is not None:
        if not args.out:
            parser.error("--generate needs --out")
        generate(args.generate, args.seed, args.out)
        return 0
    if not args.trades:
        parser.error("a trade list is required")

    import numpy as np
    t0 = time.perf_counter()
    pnl = load(args.trades)
    t1 = time.perf_counter()
    final, max_dd = simulate(pnl, args.paths, args.seed, args.capital, args.chunk)
    final_stats, dd_stats = distribution(final), distribution(max_dd)
    t2 = time.perf_counter()
    print(json.dumps({
        "engine": "numpy", "numpy": np.__version__, "method": "trade-bootstrap",
        "trades": int(pnl.shape[0]), "paths": args.paths, "seed": args.seed, "capital": args.capital,
        "steps": int(pnl.shape[0]) * args.paths,
        "load_seconds": round(t1 - t0, 4), "seconds": round(t2 - t1, 4),
        "final_return_percent": final_stats, "max_drawdown_percent": dd_stats,
        "probability_of_loss": float((final < 0).mean()),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
