#!/usr/bin/env python3
"""Run the bollinger_reference preset in every peer engine on one bar file; print a table, write JSON.

    python3 benchmarks/peers/run_peers.py                    # 100,000 seeded bars
    python3 benchmarks/peers/run_peers.py --bars 1000000
    python3 benchmarks/peers/run_peers.py --csv FILE          # any canonical bar file
    python3 benchmarks/peers/run_peers.py --variants          # also each engine's native behaviour

Creates or updates the virtual environment benchmarks/.venv from benchmarks/requirements-peers.txt
(only when that file changed), generates the seeded bar file under benchmarks/.data/ if it is
missing, runs plain_python.py (the ground truth) and every peer script on the same file, and
writes benchmarks/results/peers-<bars>.json. An engine that cannot be installed, imported or run
is reported with the reason and skipped; the others still run. Standard library only.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
VENV = os.path.join(BENCH, ".venv")
REQS = os.path.join(BENCH, "requirements-peers.txt")
DATA = os.path.join(BENCH, ".data")
RESULTS = os.path.join(BENCH, "results")

# name, script, extra args, module that must import, is a native-behaviour variant
ENGINES = [
    ("backtrader", "backtrader_ref.py", [], "backtrader", False),
    ("backtesting.py", "backtesting_ref.py", [], "backtesting", False),
    ("vectorbt", "vectorbt_ref.py", [], "vectorbt", False),
    ("nautilus_trader", "nautilus_ref.py", [], "nautilus_trader", False),
    ("backtrader [native signals]", "backtrader_ref.py", ["--signals", "native"], "backtrader", True),
    ("backtesting.py [native signals]", "backtesting_ref.py", ["--signals", "native"], "backtesting", True),
    ("vectorbt [native signals]", "vectorbt_ref.py", ["--signals", "native"], "vectorbt", True),
    ("nautilus_trader [native signals]", "nautilus_ref.py", ["--signals", "native"], "nautilus_trader", True),
    ("nautilus_trader [bar-close fills]", "nautilus_ref.py", ["--execution", "bar-close"], "nautilus_trader", True),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def venv_python():
    return os.path.join(VENV, "bin", "python")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def ensure_venv(skip_install):
    """Create/update the venv; return {module: reason} for packages that failed to install."""
    failures = {}
    if skip_install:
        return failures
    if not os.path.exists(venv_python()):
        log(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    stamp = os.path.join(VENV, ".requirements.sha256")
    want = sha256(REQS)
    if os.path.exists(stamp) and open(stamp).read().strip() == want:
        return failures
    pip = [venv_python(), "-m", "pip", "--disable-pip-version-check", "install", "-q"]
    log(f"installing {os.path.relpath(REQS)} into {os.path.relpath(VENV)} (first run: about a minute)")
    r = subprocess.run(pip + ["-r", REQS], capture_output=True, text=True)
    if r.returncode != 0:
        # Install what can be installed, one requirement at a time, and remember what failed.
        log("installing the whole set failed; trying each requirement on its own")
        for line in open(REQS):
            req = line.split("#")[0].strip()
            if not req:
                continue
            r1 = subprocess.run(pip + [req], capture_output=True, text=True)
            if r1.returncode != 0:
                tail = (r1.stderr or r1.stdout).strip().splitlines()[-3:]
                failures[req.split("==")[0].lower()] = "pip install failed: " + " | ".join(tail)
                log(f"  {req}: FAILED ({failures[req.split('==')[0].lower()]})")
        if failures:
            return failures  # no stamp: try again next run
    with open(stamp, "w") as f:
        f.write(want + "\n")
    return failures


def importable(module):
    r = subprocess.run([venv_python(), "-c", f"import {module}"], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONWARNINGS="ignore"))
    if r.returncode == 0:
        return None
    lines = (r.stderr or "").strip().splitlines()
    return "import failed: " + (lines[-1] if lines else f"exit {r.returncode}")


def ensure_data(a):
    if a.csv:
        return os.path.abspath(a.csv), None
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"bars_{a.bars}_seed{a.seed}.csv")
    if not os.path.exists(path):
        log(f"generating {os.path.relpath(path)}")
        subprocess.run([sys.executable, os.path.join(BENCH, "generate_bars.py"), "--bars", str(a.bars),
                        "--seed", str(a.seed), "--out", path], check=True, stdout=sys.stderr)
    return path, a.seed


def run_script(python, script, extra, csv, timeout):
    cmd = [python, os.path.join(HERE, script), csv] + extra
    t0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE,
                           env=dict(os.environ, PYTHONWARNINGS="ignore", TQDM_DISABLE="1"))
    except subprocess.TimeoutExpired:
        return {"status": "failed", "reason": f"timed out after {timeout} s"}
    wall = round(time.perf_counter() - t0, 3)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    if r.returncode != 0 or not lines:
        tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
        return {"status": "failed", "reason": f"exit {r.returncode}: " + " | ".join(tail)}
    res = json.loads(lines[-1])
    res["status"] = "ok"
    res["process_seconds"] = wall
    return res


def compare(res, truth):
    if res.get("status") != "ok" or truth.get("status") != "ok":
        return None
    keys = ("bars", "trades", "gross_pnl_paise", "open_position", "trades_digest")
    diff = {k: [res.get(k), truth.get(k)] for k in keys if res.get(k) != truth.get(k)}
    if diff:
        diff["trades_delta"] = res["trades"] - truth["trades"]
        diff["gross_pnl_paise_delta"] = res["gross_pnl_paise"] - truth["gross_pnl_paise"]
    return diff


def fmt(x, width, prec=2):
    if x is None:
        return "-".rjust(width)
    if isinstance(x, float):
        return f"{x:,.{prec}f}".rjust(width)
    if isinstance(x, int):
        return f"{x:,}".rjust(width)
    return str(x).rjust(width)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bars", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--csv", help="use this canonical bar file instead of generating one")
    p.add_argument("--engines", help="comma-separated subset, e.g. backtrader,vectorbt")
    p.add_argument("--variants", action="store_true",
                   help="also run each engine's native behaviour (float indicators, Nautilus bar-close fills)")
    p.add_argument("--skip-install", action="store_true", help="use benchmarks/.venv as it is")
    p.add_argument("--timeout", type=int, default=1800, help="seconds per engine run")
    p.add_argument("--out", help="results JSON (default benchmarks/results/peers-<bars>.json)")
    a = p.parse_args()

    load_before = os.getloadavg()
    install_failures = ensure_venv(a.skip_install)
    csv, seed = ensure_data(a)
    digest = sha256(csv)
    log(f"data: {csv} sha256 {digest}")

    truth = run_script(sys.executable, "plain_python.py", [], csv, a.timeout)
    truth["engine"] = "plain-python"
    truth["version"] = platform.python_version()
    if truth["status"] != "ok":
        log(f"ground truth failed: {truth['reason']}")
    results = [truth]
    wanted = set(a.engines.split(",")) if a.engines else None
    for name, script, extra, module, variant in ENGINES:
        base = name.split(" [")[0]
        if variant and not a.variants:
            continue
        if wanted and base not in wanted:
            continue
        reason = install_failures.get(module.lower()) or install_failures.get(base.lower())
        if reason is None:
            reason = importable(module) if os.path.exists(venv_python()) else "no virtual environment"
        if reason:
            log(f"SKIPPED {name}: {reason}")
            results.append({"engine": name, "status": "skipped", "reason": reason})
            continue
        log(f"running {name} ...")
        res = run_script(venv_python(), script, extra, csv, a.timeout)
        res["engine"] = name
        if res["status"] != "ok":
            log(f"FAILED {name}: {res['reason']}")
        results.append(res)
    for res in results[1:]:
        d = compare(res, truth)
        if d is not None:
            res["agrees_with_plain_python"] = not d
            if d:
                res["difference_from_plain_python"] = d

    bars = truth.get("bars") or a.bars
    load_after = os.getloadavg()
    report = {
        "benchmark": "bollinger_reference in peer engines",
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "python": platform.python_version(), "platform": platform.platform(),
        },
        "data": {"path": os.path.relpath(csv, os.path.dirname(BENCH)) if csv.startswith(os.path.dirname(BENCH))
                 else csv, "bars": bars, "seed": seed, "sha256": digest},
        "results": results,
    }

    # Table.
    print(f"bollinger_reference on {bars:,} bars, sha256 {digest[:16]}…; "
          f"{os.cpu_count()} cores, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    hdr = (f"{'engine':34} {'version':>11} {'load s':>8} {'backtest s':>11} {'bt cpu s':>9} "
           f"{'warm s':>7} {'process s':>10} {'bars/s':>11} {'x plain':>8} {'trades':>7} {'gross P&L':>11} "
           f"{'open':>5}  agrees")
    print(hdr)
    print("-" * len(hdr))
    base_bt = truth.get("backtest_seconds") if truth.get("status") == "ok" else None
    for r in results:
        if r.get("status") != "ok":
            print(f"{r['engine']:34} {r['status'].upper()}: {r['reason']}")
            continue
        bt = r["backtest_seconds"]
        agrees = "ground truth" if r is truth else ("yes" if r.get("agrees_with_plain_python") else
                                                   "NO (see notes)")
        print(f"{r['engine']:34} {fmt(r.get('version'), 11)} {fmt(r['load_seconds'], 8)} "
              f"{fmt(bt, 11)} {fmt(r.get('backtest_cpu_seconds'), 9)} {fmt(r.get('warm_backtest_seconds'), 7)} "
              f"{fmt(r.get('process_seconds'), 10)} "
              f"{fmt(int(bars / bt) if bt else None, 11)} "
              f"{fmt(bt / base_bt if base_bt else None, 8, 1)} {fmt(r['trades'], 7)} "
              f"{fmt(r['gross_pnl_paise'] / 100, 11)} {fmt(r['open_position'], 5)}  {agrees}")
    print("gross P&L in rupees; 'bt cpu s' = CPU time of the backtest phase (the machine may be shared); "
          "'warm s' = same call again once JIT-compiled;\n'process s' = whole process incl. imports; "
          "'x plain' = backtest seconds / plain Python's")

    out = a.out or os.path.join(RESULTS, f"peers-{bars}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
