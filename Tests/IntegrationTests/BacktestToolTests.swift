import Foundation
import Testing

/// `backtest` run as a trader runs it: the built binary on a canonical CSV and on the bundled data.
@Suite struct BacktestToolTests {
    /// A seeded random walk of 1-minute bars on the 0.05 grid, as canonical CSV.
    static func writeBars(count: Int, seed: UInt64, to url: URL) throws -> (opens: [Int64], closes: [Int64]) {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var text = "timestamp,open,high,low,close,volume\n"
        var price: Int64 = 1_000_000
        var opens: [Int64] = [], closes: [Int64] = []
        let start: Int64 = 1_262_576_700  // 2010-01-04 09:15 IST
        for i in 0..<count {
            let day = Int64(i / 375), minute = Int64(i % 375)
            let t = start + day * 86_400 + minute * 60
            let o = price
            let c = max(500, o + 5 * (Int64(next() % 41) - 20))
            let h = max(o, c) + 5 * Int64(next() % 4), l = min(o, c) - 5 * Int64(next() % 4)
            let date = Date(timeIntervalSince1970: TimeInterval(t))
            let iso = ISO8601DateFormatter().string(from: date)
            text += "\(iso),\(rupees(o)),\(rupees(h)),\(rupees(l)),\(rupees(c)),100\n"
            opens.append(o); closes.append(c)
            price = c
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
        return (opens, closes)
    }

    static func rupees(_ p: Int64) -> String { "\(p / 100).\(p % 100 < 10 ? "0" : "")\(p % 100)" }

    /// The reference semantics, written plainly: exact integers, next-open fills, last signal dropped.
    static func reference(opens: [Int64], closes: [Int64]) -> (trades: Int, gross: Int64, open: Bool) {
        var position = false, pending = 0, entry: Int64 = 0, trades = 0, gross: Int64 = 0
        for i in closes.indices {
            if pending == 1 { position = true; entry = opens[i] } else if pending == -1 { position = false; gross += opens[i] - entry; trades += 1 }
            pending = 0
            guard i >= 19, i < closes.count - 1 else { continue }
            let window = closes[(i - 19)...i]
            let s = window.reduce(0, +), q = window.reduce(Int64(0)) { $0 + $1 * $1 }
            let c = closes[i]
            if !position {
                let d = s - 20 * c
                if d > 0 && Int128(d) * Int128(d) > 4 * (20 * Int128(q) - Int128(s) * Int128(s)) { pending = 1 }
            } else if 20 * c > s {
                pending = -1
            }
        }
        return (trades, gross, position)
    }

    /// `--timings`: each phase's wall time, in the order they ran, on the text and in the JSON; the
    /// phases add up to no more than the whole process took.
    @Test func timingsNameEachPhase() throws {
        let home = try TestHome()
        defer { home.remove() }
        let file = home.path("bars.csv")
        _ = try Self.writeBars(count: 20_000, seed: 11, to: file)
        let arguments = ["--strategy", "bollinger_reference", "--data", file.path, "--report", "summary", "--timings"]
        let text = try ToolProcess.run("backtest", arguments, environment: home.environment())
        #expect(text.status == 0, "\(text.stderr)")
        let line = try #require(text.stdout.split(separator: "\n").last.map(String.init))
        #expect(line.hasPrefix("timings (wall): start-up "), "\(line)")
        var at = line.startIndex
        for phase in ["configuration", "data", "set-up", "event loop", "metrics", "output", "; total"] {
            let found = try #require(line.range(of: " \(phase) ", range: at..<line.endIndex) ?? line.range(of: phase, range: at..<line.endIndex), "\(phase) in \(line)")
            at = found.upperBound
        }
        let started = Date()
        let json = try ToolProcess.run("backtest", arguments + ["--json"], environment: home.environment())
        let wall = Date().timeIntervalSince(started)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let timings = try #require(object["timings"] as? [String: Any])
        let phases = try #require(timings["phases"] as? [[String: Any]])
        #expect(phases.map { $0["name"] as? String } == ["start-up", "configuration", "data", "set-up", "event loop", "metrics", "output"])
        let total = try #require(timings["total_seconds"] as? Double)
        #expect(total > 0 && total <= wall + 0.02, "phases \(total) s within the process's \(wall) s")
        print("backtest --timings (debug build, 20,000 bars): \(line)")
    }

    /// `--cache`: the first run keeps a binary copy of the file under var/cache/market_data, the
    /// second loads it; both give the run the plain CSV read gives. Without --data it is refused.
    @Test func cacheKeepsACopyOfTheDataFileAndGivesTheSameRun() throws {
        let home = try TestHome()
        defer { home.remove() }
        let file = home.path("bars.csv")
        _ = try Self.writeBars(count: 8_000, seed: 5, to: file)
        func run(_ extra: [String]) throws -> (metrics: String, status: Int32) {
            let result = try ToolProcess.run("backtest", ["--strategy", "bollinger_reference", "--data", file.path, "--json",
                                                          "--report", "none"] + extra, environment: home.environment())
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let metrics = try JSONSerialization.data(withJSONObject: object?["metrics"] ?? [:], options: [.sortedKeys])
            return (String(decoding: metrics, as: UTF8.self), result.status)
        }
        let plain = try run([])
        let cacheFolder = home.path("var/cache/market_data").path
        #expect(!FileManager.default.fileExists(atPath: cacheFolder))
        let first = try run(["--cache"])
        let entries = try FileManager.default.contentsOfDirectory(atPath: cacheFolder).filter { $0.hasSuffix(".bars") }
        #expect(entries.count == 1)
        let second = try run(["--cache"])
        #expect(plain.status == 0 && first.status == 0 && second.status == 0)
        #expect(first.metrics == plain.metrics)
        #expect(second.metrics == plain.metrics)
        #expect(plain.metrics.contains("\"trades\""))
        let refused = try ToolProcess.run("backtest", ["--strategy", "bollinger_reference", "--cache"], environment: home.environment())
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("--cache reads --data files"))
    }

    @Test func referencePresetAgreesTradeForTradeWithAPlainImplementation() throws {
        let home = try TestHome()
        defer { home.remove() }
        let file = home.path("bars.csv")
        let (opens, closes) = try Self.writeBars(count: 6_000, seed: 7, to: file)
        let expected = Self.reference(opens: opens, closes: closes)
        #expect(expected.trades > 20)
        let result = try ToolProcess.run("backtest", ["--strategy", "bollinger_reference", "--data", file.path, "--json"],
                                         environment: home.environment())
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let metrics = json?["metrics"] as? [String: Any]
        #expect(metrics?["trades"] as? Int == expected.trades)
        #expect((metrics?["gross_pnl_paise"] as? NSNumber)?.int64Value == expected.gross)
        // Report files are written under the home.
        let runs = try FileManager.default.contentsOfDirectory(atPath: home.path("reports/backtest").path)
        #expect(runs.count == 1)
        let dir = home.path("reports/backtest/\(runs[0])")
        for name in ["summary.json", "trades.csv", "daily_equity.csv", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appending(path: name).path), "\(name) missing")
        }
    }

    @Test func bundledSampleRunsAllThreeStrategies() throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestHome.repositoryRoot.appending(path: "data/market_data"),
                                         to: home.path("data/market_data"))
        let result = try ToolProcess.run(
            "backtest", ["--strategy", "mean_reversion,breakout_scalper,momentum", "--metrics", "all", "--report", "summary"],
            environment: home.environment())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("mean_reversion, "))
        #expect(result.stdout.contains("NIFTY 50, BANKNIFTY"))
        #expect(result.stdout.contains("net P&L"))
    }

    /// The VIX filter reads the India VIX the home stores: imported from NSE's export, the
    /// prop-challenge preset (VIX 10–25) refuses the entries of 2021-02-23 and 02-24 (prior closes
    /// 25.47 and 25.23) and of 02-15 (no prior close in the series); without a stored series the
    /// filter is inactive and says so in the run's settings.
    @Test func theVIXFilterReadsTheStoredIndiaVIX() throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestHome.repositoryRoot.appending(path: "data/market_data"),
                                         to: home.path("data/market_data"))
        func run() throws -> (trades: Int, rejections: Int, vix: String) {
            let result = try ToolProcess.run(
                "backtest", ["--strategy", "mean_reversion,breakout_scalper", "--risk-preset", "prop_challenge",
                             "--json", "--report", "none"], environment: home.environment())
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let settings = (json?["run"] as? [String: Any])?["settings"] as? [String: String] ?? [:]
            return ((json?["metrics"] as? [String: Any])?["trades"] as? Int ?? -1, Int(settings["risk_rejections"] ?? "") ?? -1,
                    settings["india_vix"] ?? "")
        }
        let without = try run()
        #expect(without.vix == "none stored (vix_filter inactive)")
        let vixFile = TestHome.repositoryRoot.appending(path: "Tests/AlphaPrimeTests/Fixtures/risk/india_vix_2021-02-15_2021-03-12.csv")
        let imported = try ToolProcess.run("market-data", ["import", "--format", "nse", "--symbol", "INDIAVIX", vixFile.path],
                                           environment: home.environment())
        #expect(imported.status == 0, "\(imported.stderr)")
        let with = try run()
        #expect(with.vix == "2021-02-15…2021-03-12")
        #expect(without.trades > 20 && with.trades < without.trades, "\(without) \(with)")
        #expect(with.rejections > without.rejections)
    }

    /// `--by-regime`: refused (66) until the index's daily bars are stored, naming how to store them;
    /// then the rows add up to the run (days, trades, net P&L to the paisa) and the two CSV files are
    /// written beside summary.json. The bundled February–March 2021 days are all bull.
    @Test func byRegimeSplitsTheRunByTheIndexsDailyRegime() throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestHome.repositoryRoot.appending(path: "data/market_data"),
                                         to: home.path("data/market_data"))
        let arguments = ["--strategy", "mean_reversion,breakout_scalper", "--by-regime", "--json", "--report", "summary"]
        let missing = try home.run("backtest", arguments)
        #expect(missing.status == 66, "\(missing.output)")
        #expect(missing.stderr.contains("--by-regime labels days from NIFTY 50's daily bars and none are stored; store them with: market-data import --format iso --symbol NIFTY50"),
                "\(missing.stderr)")
        #expect(try home.run("backtest", arguments + ["--walk-forward"]).status == 64)

        let daily = TestHome.repositoryRoot.appending(path: "Tests/AlphaPrimeTests/Fixtures/regimes/nifty50_daily_2019-01_2021-03.csv")
        let imported = try home.run("market-data", ["import", "--format", "iso", "--symbol", "NIFTY50", "--policy", "skip", daily.path])
        #expect(imported.status == 0, "\(imported.output)")

        let result = try home.run("backtest", arguments)
        #expect(result.status == 0, "\(result.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let metrics = try #require(json["metrics"] as? [String: Any])
        let rows = try #require(json["regimes"] as? [[String: Any]])
        #expect(rows.map { $0["regime"] as? String } == ["bull", "bear", "sideways"])
        func total(_ key: String) -> Int { rows.reduce(0) { $0 + ($1[key] as? Int ?? 0) } }
        #expect(total("days") == metrics["trading_days"] as? Int && total("trades") == metrics["trades"] as? Int)
        #expect(total("net_pnl_paise") == metrics["net_pnl_paise"] as? Int)
        #expect(rows[0]["days"] as? Int == metrics["trading_days"] as? Int, "every bundled day is bull: \(rows)")

        let run = try #require((json["run"] as? [String: Any])?["run_id"] as? String)
        let folder = home.path("reports/backtest/\(run)")
        let csv = try String(contentsOf: folder.appending(path: "regimes.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("regime,days,trades,wins,losses,net_pnl,charges,equity_change,return_on_capital,win_rate,profit_factor,expectancy,worst_day,worst_day_change,sharpe_ratio\nbull,"), "\(csv)")
        let days = try String(contentsOf: folder.appending(path: "regime_days.csv"), encoding: .utf8)
        #expect(days.split(separator: "\n").count == (metrics["trading_days"] as? Int ?? 0) + 1)

        let text = try home.run("backtest", ["--strategy", "mean_reversion", "--by-regime", "--report", "none"])
        #expect(text.stdout.contains("By regime (NIFTY 50 daily closes before each day: 50/200-day averages, band 1 × 20-day volatility)"),
                "\(text.stdout)")
    }

    /// The prop-challenge preset keeps momentum out: a backtest of it under that preset is refused
    /// (exit 78) naming the preset's file, and runs under another.
    @Test func aStrategyThePresetDisablesIsRefused() throws {
        let home = try TestHome()
        defer { home.remove() }
        let refused = try ToolProcess.run("backtest", ["--strategy", "momentum", "--risk-preset", "prop_challenge", "--report", "none"],
                                          environment: home.environment())
        #expect(refused.status == 78, "\(refused.stderr)")
        #expect(refused.stderr.contains("strategy 'momentum': the prop_challenge risk preset disables it (strategies.disabled in config/risk_config_prop_challenge.yaml)"),
                "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }

    @Test func monteCarloIsReproducibleBySeed() throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestHome.repositoryRoot.appending(path: "data/market_data"),
                                         to: home.path("data/market_data"))
        func run(seed: String) throws -> Any? {
            let result = try ToolProcess.run(
                "backtest", ["--strategy", "mean_reversion", "--monte-carlo", "--simulations", "500", "--seed", seed,
                             "--json", "--report", "none"], environment: home.environment())
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return json?["monte_carlo"]
        }
        let a = try run(seed: "5"), b = try run(seed: "5"), c = try run(seed: "6")
        let encode = { (x: Any?) -> Data in try! JSONSerialization.data(withJSONObject: x ?? [], options: [.sortedKeys]) }
        #expect((a as? [Any])?.count == 2)
        #expect(encode(a) == encode(b))
        #expect(encode(a) != encode(c))
    }

    @Test func badInputGivesClearErrors() throws {
        let home = try TestHome()
        defer { home.remove() }
        let unknown = try ToolProcess.run("backtest", ["--strategy", "no_such"], environment: home.environment())
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("no_such"))
        let badDate = try ToolProcess.run("backtest", ["--strategy", "momentum", "--start", "2021-13-01"], environment: home.environment())
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("YYYY-MM-DD"))
        let file = home.path("bad.csv")
        try "timestamp,open,high,low,close,volume\n2021-01-01T03:45:00Z,100.00,99.00,101.00,100.00,0\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let badRow = try ToolProcess.run("backtest", ["--strategy", "bollinger_reference", "--data", file.path],
                                         environment: home.environment())
        #expect(badRow.status == 65)
        #expect(badRow.stderr.contains("bad.csv:2"))
    }
}
