#!/usr/bin/env python3
"""ALPHA-PRIME's benchmark suite: one command, one table, one JSON file.

    python3 benchmarks/run.py            # everything (about 6-9 minutes on 2 cores)
    python3 benchmarks/run.py --quick    # peers on 100,000 bars only
    python3 benchmarks/run.py --startup-only   # the tools' start-up times (health-check --fast, …)
    python3 benchmarks/run.py --whole-process [--before-binary PATH]
                                         # 1M bars, whole process: CSV, cache and detailed report,
                                         # and the three strategies on a year of NIFTY 50 + BANKNIFTY,
                                         # 7 runs each (medians), optionally beside an older build

Every figure is measured in this run, beside its comparison, on this machine: the core count and
load are printed so a reader can judge them. Benchmarks never fail on a time; they report it.
Writes benchmarks/results/latest.json. Standard library only (the peers' venv is made by
peers/run_peers.py).
"""
import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, ".data")
RESULTS = os.path.join(HERE, "results")
RELEASE = os.path.join(ROOT, ".build", "release")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def peak_rss(cmd, cwd=ROOT, env=None):
    """Wall time and peak memory of one process, from wait4's rusage for exactly that child."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_chunks = p.stdout.read()
    err_chunks = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024, out_chunks.decode(), err_chunks.decode(), p.returncode


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "load_average": os.getloadavg(), "cpu": cpu,
            "python": platform.python_version(), "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def build():
    log("building release ...")
    t = time.perf_counter()
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def bars_file(n, seed=42):
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"bars_{n}_seed{seed}.csv")
    out = subprocess.run([sys.executable, os.path.join(HERE, "generate_bars.py"), "--bars", str(n), "--seed", str(seed),
                          "--out", path], check=True, capture_output=True, text=True).stdout.strip()
    log(out)
    return path, out.rsplit("sha256 ", 1)[-1]


def bench(*args):
    exe = os.path.join(RELEASE, "alpha-prime-bench")
    r = subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": (r.stderr or r.stdout).strip()[-400:]}
    return json.loads(r.stdout)


def backtest_section(path, sha, home):
    exe = os.path.join(RELEASE, "backtest")
    wall, peak, out, err, code = peak_rss([exe, "--home", home, "--strategy", "bollinger_reference", "--data", path,
                                           "--json", "--report", "none", "--timings"])
    row = {"file": os.path.basename(path), "sha256": sha, "whole_process_seconds": wall, "peak_memory_bytes": peak,
           "exit": code}
    if code == 0:
        s = json.loads(out)
        row.update({"bars": s["run"]["bars"], "trades": s["metrics"]["trades"],
                    "gross_pnl_paise": s["metrics"]["gross_pnl_paise"],
                    "backtest_seconds_in_tool": float(s["run"]["settings"]["backtest_seconds"]),
                    "phases": {p["name"]: p["seconds"] for p in s.get("timings", {}).get("phases", [])}})
    else:
        row["error"] = err.strip()[-400:]
    phase = bench("backtest", path)
    row["phase"] = phase
    if "backtest_seconds" in phase:
        row["bars_per_second"] = phase["bars_per_second"]
    return row


def peers_section(path, quick_skip):
    if quick_skip:
        return None
    out = os.path.join(RESULTS, f"peers-{os.path.basename(path)}.json")
    log(f"peers on {os.path.basename(path)} ...")
    r = subprocess.run([sys.executable, os.path.join(HERE, "peers", "run_peers.py"), "--csv", path, "--out", out],
                       cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out):
        return {"error": (r.stderr or r.stdout).strip()[-600:]}
    with open(out) as f:
        return json.load(f)


def montecarlo_section(path_1m):
    """10,000 bootstrap paths over the trade list of the 1M-bar reference run, beside NumPy."""
    trades = os.path.join(DATA, "reference_trades_1m.csv")
    bench("backtest", path_1m, "--repetitions", "1", "--trades-out", trades)
    row = {"trades_file": trades, "alpha_prime_two_cores": bench("montecarlo", trades, "--paths", "10000", "--seed", "1"),
           "alpha_prime_one_core": bench("montecarlo", trades, "--paths", "10000", "--seed", "1", "--threads", "1")}
    py = os.path.join(HERE, ".venv", "bin", "python")
    if not os.path.exists(py):
        row["numpy"] = {"error": "benchmarks/.venv missing (run the peers first)"}
        return row
    r = subprocess.run([py, os.path.join(HERE, "montecarlo_numpy.py"), trades, "--paths", "10000", "--seed", "1"],
                       capture_output=True, text=True)
    row["numpy"] = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {"error": r.stderr[-400:]}
    return row


def optimize_section():
    """Optimisation: a 10x10 mean_reversion grid over a year of 1-minute bars, one thread and two."""
    import optimize_grid
    try:
        return optimize_grid.measure(repeats=3)
    except (SystemExit, subprocess.CalledProcessError) as e:
        return {"error": str(e)}


def engine_section(home):
    """One replayed trading day (NIFTY 50 and BANKNIFTY, all three strategies), with and without SQLite."""
    exe = os.path.join(RELEASE, "engine")
    r = subprocess.run([exe, "benchmark", "--home", home, "--replay", "2021-02-22"], capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": (r.stderr or r.stdout).strip()[-400:]}
    return json.loads(r.stdout)


def tool_startup(home):
    rows = {}
    for name, cmd in [("health-check --fast", ["health-check", "--fast"]), ("engine status", ["engine", "status"]),
                      ("trading-calendar", ["trading-calendar", "is-trading-day", "2026-01-27"])]:
        exe = os.path.join(RELEASE, cmd[0])
        times = []
        code = None
        for _ in range(5):
            wall, _, _, _, code = peak_rss([exe, *cmd[1:], "--home", home])
            times.append(wall)
        rows[name] = {"best_seconds": min(times), "median_seconds": sorted(times)[2], "exit": code}
    return rows


def cpu_and_peak(cmd, cwd=ROOT):
    """Wall time, CPU time (user + system) and peak memory of one process."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out.decode(), err.decode(), os.waitstatus_to_exitcode(status)


# The same folder (and override) as the risk-overhead benchmark in the Swift tests.
SHARED_1MIN = os.environ.get("ALPHA_PRIME_BENCH_DATA",
                             os.path.join(os.path.dirname(ROOT), "shared", "data", "intraday_1min"))
PORTFOLIO_RUN = ["--strategy", "mean_reversion,breakout_scalper,momentum", "--symbols", "NIFTY50,BANKNIFTY",
                 "--start", "2021-01-01", "--end", "2021-12-31"]
PORTFOLIO = PORTFOLIO_RUN + ["--report", "none"]


def import_year(home):
    """Imports a year of real NIFTY 50 and BANKNIFTY 1-minute bars (2021, ../shared/data/intraday_1min
    or $ALPHA_PRIME_BENCH_DATA) into the home's market data; False when the files are not there."""
    for symbol in ("NIFTY50", "BANKNIFTY"):
        files = [os.path.join(SHARED_1MIN, f"{symbol}_2021-{m:02d}.txt") for m in range(1, 13)]
        if not all(os.path.exists(f) for f in files):
            log(f"no year of {symbol} 1-minute bars under {SHARED_1MIN}: the portfolio case is skipped")
            return False
        subprocess.run([os.path.join(RELEASE, "market-data"), "import", "--home", home, "--format", "headerless",
                        "--symbol", symbol, *files], check=True, capture_output=True)
    return True


def whole_process(binary, home, path, label, runs=7, portfolio=False):
    """`backtest` over the 1M-bar file as a trader runs it: from CSV, from the bar cache (after one run
    that builds it) and with --report detailed; with `portfolio`, the three built-in strategies together
    on a year of NIFTY 50 and BANKNIFTY from the home's market data (read, like every data/market_data
    read, through the bar cache, so it too gets a first run that builds it). Medians of `runs` runs
    each, with the phases, and the event loop's bars per second."""
    reference = ["--strategy", "bollinger_reference", "--data", path]
    # (name, arguments, whether a first, unmeasured run builds the bar cache)
    cases = [("csv", reference + ["--report", "none"], False),
             ("cache", reference + ["--report", "none", "--cache"], True),
             ("detailed report", reference + ["--report", "detailed"], False)]
    if portfolio:
        cases.append(("portfolio year", PORTFOLIO, True))
    rows = {}
    for name, extra, builds_cache in cases:
        cmd = [binary, "--home", home, "--json", "--timings", *extra]
        if builds_cache:
            first = cpu_and_peak(cmd)
            if first[5] != 0:
                rows[name] = {"error": (first[4] or first[3]).strip()[-300:]}
                continue
        samples = []
        for _ in range(runs):
            wall, cpu, peak, out, err, code = cpu_and_peak(cmd)
            if code != 0:
                samples = None
                rows[name] = {"error": (err or out).strip()[-300:]}
                break
            s = json.loads(out)
            samples.append({"wall": wall, "cpu": cpu, "peak": peak, "trades": s["metrics"]["trades"], "bars": s["run"]["bars"],
                            "gross_pnl_paise": s["metrics"]["gross_pnl_paise"],
                            "phases": {p["name"]: p["seconds"] for p in s.get("timings", {}).get("phases", [])}})
        if not samples:
            continue
        med = lambda xs: sorted(xs)[len(xs) // 2]
        phases = {k: med([x["phases"].get(k, 0) for x in samples]) for k in samples[0]["phases"]}
        rows[name] = {"runs": runs, "wall_median_seconds": med([x["wall"] for x in samples]),
                      "wall_min_seconds": min(x["wall"] for x in samples), "wall_max_seconds": max(x["wall"] for x in samples),
                      "cpu_median_seconds": med([x["cpu"] for x in samples]),
                      "peak_memory_bytes": max(x["peak"] for x in samples), "trades": samples[0]["trades"],
                      "gross_pnl_paise": samples[0]["gross_pnl_paise"], "phases_median_seconds": phases,
                      "bars": samples[0]["bars"]}
        loop = phases.get("event loop")
        if loop:
            rows[name]["event_loop_bars_per_second"] = samples[0]["bars"] / loop
        log(f"{label} {name}: {fmt_s(rows[name]['wall_median_seconds'])}")
    return rows


def event_loops(bench, home, path, portfolio, repetitions=20):
    """The event loop alone, repeated in one process and the best taken (alpha-prime-bench): the
    reference preset over the 1M-bar file through the engine's path, and with `portfolio` the three
    strategies on the year, set up as `backtest` sets them up. Steadier than one run's phase. The
    reference preset also runs with a band no close reaches (`--deviations 10`): the per-bar path's
    floor, without the orders' round trips."""
    rows = {}
    cases = [("reference 1M", [bench, "backtest", path, "--repetitions", str(repetitions)]),
             # The same preset with a band no close reaches: the bar path alone, no signal, no order.
             ("reference 1M, no orders", [bench, "backtest", path, "--repetitions", str(repetitions), "--deviations", "10"])]
    if portfolio:
        cases.append(("portfolio year", [bench, "portfolio", "--home", home, *PORTFOLIO_RUN,
                                         "--repetitions", str(repetitions)]))
    for name, cmd in cases:
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            rows[name] = {"error": (out.stderr or out.stdout).strip()[-300:]}
            continue
        r = json.loads(out.stdout)
        seconds = r.get("backtest_seconds", r.get("event_loop_seconds"))
        rows[name] = {"repetitions": repetitions, "best_seconds": seconds, "bars": r["bars"],
                      "bars_per_second": r["bars_per_second"], "trades": r["trades"], "gross_pnl_paise": r["gross_pnl_paise"]}
        log(f"event loop {name}: {r['bars_per_second'] / 1e6:.1f}M bars/s")
    return rows


def make_home():
    home = tempfile.mkdtemp(prefix="alpha-prime-bench-")
    shutil.copytree(os.path.join(ROOT, "config"), os.path.join(home, "config"))
    os.makedirs(os.path.join(home, "data"), exist_ok=True)
    shutil.copytree(os.path.join(ROOT, "data", "market_data"), os.path.join(home, "data", "market_data"))
    subprocess.run([os.path.join(RELEASE, "db-maintenance"), "--home", home, "migrate"], capture_output=True)
    return home


def fmt_s(x):
    return "–" if x is None else (f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s")


def print_table(result):
    m = result["machine"]
    print(f"machine: {m['cores']} cores, load {m['load_average'][0]:.2f} {m['load_average'][1]:.2f} {m['load_average'][2]:.2f}, {m['cpu']}")
    for bt in result.get("backtest", []):
        print(f"\nbacktest, bollinger_reference, {bt['file']} (sha256 {bt['sha256'][:16]}…)")
        print(f"  ALPHA-PRIME   whole process {fmt_s(bt['whole_process_seconds'])}, backtest phase "
              f"{fmt_s(bt['phase'].get('backtest_seconds'))}, {bt.get('bars_per_second', 0) / 1e6:.1f}M bars/s, "
              f"peak {bt['peak_memory_bytes'] / 2**20:.0f} MiB, {bt.get('trades')} trades, gross {bt.get('gross_pnl_paise')} paise")
        if bt.get("phases"):
            print("  phases        " + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in bt["phases"].items()))
        peers = result["peers"].get(bt["file"])
        if peers and "results" in peers:
            ours = bt["phase"].get("backtest_seconds") or float("nan")
            for e in peers["results"]:
                if e.get("status", "ok") != "ok" or "backtest_seconds" not in e:
                    print(f"  {e.get('engine', '?'):<14}{e.get('status')}: {e.get('reason', '')}")
                    continue
                ratio = e["backtest_seconds"] / ours if ours else float("nan")
                print(f"  {e['engine']:<14}backtest {fmt_s(e['backtest_seconds'])} ({ratio:,.0f}x ALPHA-PRIME), "
                      f"{e.get('trades')} trades, gross {e.get('gross_pnl_paise')} paise")
    mc = result.get("montecarlo")
    if mc:
        two, one, npy = mc["alpha_prime_two_cores"], mc["alpha_prime_one_core"], mc["numpy"]
        print("\nMonte Carlo, 10,000 trade-bootstrap paths over the 1M-bar run's trades:")
        if "seconds" in two:
            print(f"  ALPHA-PRIME  {fmt_s(two['seconds'])} on both cores, {fmt_s(one.get('seconds'))} on one; "
                  f"max drawdown p50 {two['max_drawdown_percentiles']['p50']:.3f}%, p95 {two['max_drawdown_percentiles']['p95']:.3f}%")
        secs = npy.get("seconds") or npy.get("elapsed_seconds")
        if secs:
            print(f"  NumPy        {fmt_s(secs)} ({secs / two.get('seconds', float('nan')):.1f}x ALPHA-PRIME on both cores)")
        elif "error" in npy:
            print(f"  NumPy        {npy['error']}")
    opt = result.get("optimize")
    if opt:
        print("\nOptimisation:")
        if "error" in opt:
            print(f"  {opt['error']}")
        else:
            import optimize_grid
            print("  " + "\n  ".join(_lines(optimize_grid.print_result, opt)))
    eng = result.get("engine")
    if eng:
        print("\nengine, one replayed day (2021-02-22), NIFTY 50 + BANKNIFTY, three strategies:")
        if isinstance(eng, list):
            for row in eng:
                print(f"  persistence {row['persistence']:<14} {fmt_s(row['seconds'])}, {row['bars']} bars, {row['orders']} orders, "
                      f"decision p50 {row['decision_nanoseconds']['p50'] / 1000:.1f} us, p99 {row['decision_nanoseconds']['p99'] / 1000:.1f} us")
        else:
            print(f"  {eng.get('error')}")
    for key in ("state_writes", "tool_startup"):
        if key in result:
            print(f"\n{key.replace('_', ' ')}:")
            for name, row in result[key].items():
                print(f"  {name}: {json.dumps(row)}")


def print_whole_process(result):
    m = result["machine"]
    wp = result["whole_process"]
    print(f"machine: {m['cores']} cores, load {m['load_average'][0]:.2f} before, "
          f"{m['load_average_after'][0]:.2f} after, {m['cpu']}")
    print(f"backtest, whole process, median of 7 runs: bollinger_reference on {wp['file']}; portfolio year: "
          f"mean_reversion, breakout_scalper and momentum on NIFTY50 and BANKNIFTY 2021")
    for build in ("before", "after"):
        for name, row in wp.get(build, {}).items():
            if "error" in row:
                print(f"  {build:<7}{name:<16}{row['error']}")
                continue
            phases = ", ".join(f"{k} {v * 1000:.0f}" for k, v in row["phases_median_seconds"].items())
            print(f"  {build:<7}{name:<16}wall {fmt_s(row['wall_median_seconds'])} ({fmt_s(row['wall_min_seconds'])}–"
                  f"{fmt_s(row['wall_max_seconds'])}), cpu {fmt_s(row['cpu_median_seconds'])}, "
                  f"peak {row['peak_memory_bytes'] / 2**20:.0f} MiB, {row['trades']} trades, gross {row['gross_pnl_paise']} paise")
            speed = row.get("event_loop_bars_per_second")
            speed = f"; event loop {row['bars']:,} bars, {speed / 1e6:.1f}M bars/s" if speed else ""
            print(f"  {'':<23}phases (ms): {phases}{speed}")
    loops = wp.get("event_loop", {})
    if loops:
        print("event loop alone, best of repeated runs in one process (alpha-prime-bench):")
    for name, row in loops.items():
        if "error" in row:
            print(f"  {name:<25}{row['error']}")
        else:
            print(f"  {name:<25}{row['bars']:,} bars in {row['best_seconds'] * 1000:.1f} ms (best of {row['repetitions']}): "
                  f"{row['bars_per_second'] / 1e6:.1f}M bars/s, {row['trades']} trades, gross {row['gross_pnl_paise']} paise")


def _lines(printer, value):
    import contextlib
    import io
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        printer(value)
    return buffer.getvalue().rstrip("\n").split("\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="peers on 100,000 bars only")
    p.add_argument("--skip-build", action="store_true")
    p.add_argument("--skip-peers", action="store_true")
    p.add_argument("--whole-process", action="store_true",
                   help="only the whole-process backtest figures; writes benchmarks/results/whole-process.json")
    p.add_argument("--before-binary", help="with --whole-process: an older build's backtest to measure in the same run")
    p.add_argument("--startup-only", action="store_true",
                   help="only the tools' start-up times; writes benchmarks/results/startup.json")
    a = p.parse_args()
    result = {"machine": machine()}
    if not a.skip_build:
        result["build_seconds"] = build()
    if a.whole_process:
        path, sha = bars_file(1_000_000)
        home = make_home()
        try:
            portfolio = import_year(home)
            result["whole_process"] = {"file": os.path.basename(path), "sha256": sha,
                                       "after": whole_process(os.path.join(RELEASE, "backtest"), home, path, "after",
                                                              portfolio=portfolio)}
            if a.before_binary:
                result["whole_process"]["before"] = whole_process(a.before_binary, home, path, "before",
                                                                  portfolio=portfolio)
            result["whole_process"]["event_loop"] = event_loops(os.path.join(RELEASE, "alpha-prime-bench"), home, path,
                                                                portfolio)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        result["machine"]["load_average_after"] = os.getloadavg()
        os.makedirs(RESULTS, exist_ok=True)
        with open(os.path.join(RESULTS, "whole-process.json"), "w") as f:
            json.dump(result, f, indent=2, sort_keys=True)
        print_whole_process(result)
        return
    if a.startup_only:
        home = make_home()
        try:
            result["tool_startup"] = tool_startup(home)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        os.makedirs(RESULTS, exist_ok=True)
        with open(os.path.join(RESULTS, "startup.json"), "w") as f:
            json.dump(result, f, indent=2, sort_keys=True)
        print_table(result)
        return
    home = make_home()
    try:
        result["backtest"], result["peers"] = [], {}
        for n in (100_000, 1_000_000):
            path, sha = bars_file(n)
            result["backtest"].append(backtest_section(path, sha, home))
            skip = a.skip_peers or (a.quick and n > 100_000)
            peers = peers_section(path, skip)
            if peers is not None:
                result["peers"][os.path.basename(path)] = peers
        path_1m = os.path.join(DATA, "bars_1000000_seed42.csv")
        result["montecarlo"] = montecarlo_section(path_1m)
        result["optimize"] = optimize_section()
        db = os.path.join(home, "var", "bench_writes.db")
        result["state_writes"] = {"sqlite (WAL, synchronous=FULL, 100 fills/commit)":
                                  bench("state-writes", "--url", f"sqlite:{db}", "--fills", "20000", "--batch", "100")}
        pg = os.environ.get("ALPHA_PRIME_BENCH_POSTGRES_URL")
        if pg:
            result["state_writes"]["postgresql (synchronous_commit on, 100 fills/commit)"] = bench(
                "state-writes", "--url", pg, "--fills", "20000", "--batch", "100")
        result["engine"] = engine_section(home)
        result["tool_startup"] = tool_startup(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    result["machine"]["load_average_after"] = os.getloadavg()
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "latest.json"), "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
    print_table(result)


if __name__ == "__main__":
    main()
