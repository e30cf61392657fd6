import Foundation
import Testing

/// `optimize` and `backtest --walk-forward` run as a trader runs them: the built binaries on the
/// bundled sample (`data/market_data/`, two weeks of NIFTY 50 and BANKNIFTY) in a throwaway home.
@Suite struct ResearchToolTests {
    static func sampleHome() throws -> TestHome {
        let home = try TestHome()
        try FileManager.default.createDirectory(at: home.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestHome.repositoryRoot.appending(path: "data/market_data"),
                                         to: home.path("data/market_data"))
        return home
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func runDirectories(_ home: TestHome, _ tool: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: home.path("reports/\(tool)").path).sorted()
            .map { home.path("reports/\(tool)/\($0)") }
    }

    /// results.csv without the timing column, to compare runs.
    static func resultsWithoutTimes(_ directory: URL) throws -> [String] {
        let text = try String(contentsOf: directory.appending(path: "results.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let seconds = try #require(lines.first?.firstIndex(of: "seconds"))
        return lines.map { fields in fields.enumerated().filter { $0.offset != seconds }.map { String($0.element) }.joined(separator: ",") }
    }

    @Test func optimizeRanksAGridOutOfSampleAndWritesItsFiles() throws {
        let home = try Self.sampleHome()
        defer { home.remove() }
        let result = try home.run("optimize", ["--strategy", "mean_reversion", "--params", "lookback,entry_z", "--threads", "2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Self.json(result.stdout)
        #expect(summary["objective"] as? String == "sharpe")
        let search = try #require(summary["search"] as? [String: Any])
        #expect(search["method"] as? String == "grid")
        #expect(search["sets"] as? Int == 11 * 7)
        #expect(search["evaluated"] as? Int == 77)
        let periods = try #require(summary["periods"] as? [String: Any])
        let inSample = try #require(periods["in_sample"] as? [String: Any])
        let outOfSample = try #require(periods["out_of_sample"] as? [String: Any])
        #expect(try #require(inSample["last_day"] as? String) < (try #require(outOfSample["first_day"] as? String)))
        #expect(inSample["days"] as? Int == 7 && outOfSample["days"] as? Int == 3)
        let timing = try #require(summary["timing"] as? [String: Any])
        #expect(timing["threads"] as? Int == 2)

        // Best first by the out-of-sample objective, with the in-sample value and the gap beside it.
        let best = try #require(summary["best"] as? [[String: Any]])
        #expect(best.count == 10)
        let oos = best.map { (($0["out_of_sample"] as? [String: Any])?["objective"] as? Double) ?? -.infinity }
        #expect(oos == oos.sorted(by: >))
        for b in best {
            let i = try #require((b["in_sample"] as? [String: Any])?["objective"] as? Double)
            let o = try #require((b["out_of_sample"] as? [String: Any])?["objective"] as? Double)
            #expect(abs((b["gap"] as? Double ?? .nan) - (i - o)) < 1e-9)
            // The trades of each period counted by exit reason.
            for period in ["in_sample", "out_of_sample"] {
                let p = try #require(b[period] as? [String: Any])
                let reasons = try #require(p["exit_reasons"] as? [String: [String: Any]])
                #expect(reasons.values.reduce(0) { $0 + ($1["trades"] as? Int ?? 0) } == p["trades"] as? Int)
            }
        }

        let runs = try Self.runDirectories(home, "optimize")
        #expect(runs.count == 1)
        for name in ["results.csv", "summary.json", "heatmap.svg", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: runs[0].appending(path: name).path), "\(name) missing")
        }
        let csv = try Self.resultsWithoutTimes(runs[0])
        #expect(csv.count == 1 + 77)
        let svg = try String(contentsOf: runs[0].appending(path: "heatmap.svg"), encoding: .utf8)
        #expect(svg.contains("Out-of-sample Sharpe ratio") && svg.contains("In-sample Sharpe ratio"))
        #expect(svg.contains(">lookback<") && svg.contains(">entry_z<"))
    }

    @Test func oneThreadAndTwoGiveTheSameResults() throws {
        let home = try Self.sampleHome()
        defer { home.remove() }
        let arguments = ["--strategy", "breakout_scalper", "--random", "12", "--seed", "5", "--objective", "net_pnl"]
        let one = try home.run("optimize", arguments + ["--threads", "1"])
        #expect(one.status == 0, "\(one.stderr)")
        // A second run in the same second would reuse the run id: keep the first run's files apart.
        let first = try Self.runDirectories(home, "optimize")[0]
        let kept = home.path("first-run")
        try FileManager.default.moveItem(at: first, to: kept)
        let two = try home.run("optimize", arguments + ["--threads", "2"])
        #expect(two.status == 0, "\(two.stderr)")
        let second = try Self.runDirectories(home, "optimize")[0]
        #expect(try Self.resultsWithoutTimes(kept) == (try Self.resultsWithoutTimes(second)))
        #expect(one.stdout.contains("on 1 thread,") && two.stdout.contains("on 2 threads,"))
        // Every core, sets handed out as cores free up: the same again.
        try FileManager.default.removeItem(at: second)
        let balanced = try home.run("optimize", arguments)
        #expect(balanced.status == 0, "\(balanced.stderr)")
        #expect(balanced.stdout.contains("(sets handed out as cores free up)"))
        #expect(try Self.resultsWithoutTimes(kept) == (try Self.resultsWithoutTimes(try Self.runDirectories(home, "optimize")[0])))
        // The same seed draws the same sets; the ranking table printed is the same.
        func table(_ text: String) -> [String] { text.split(separator: "\n").filter { $0.hasPrefix("   ") }.map(String.init) }
        #expect(table(one.stdout) == table(two.stdout))
        #expect(!table(one.stdout).isEmpty)
    }

    @Test func optimizeRefusesWhatItCannotDo() throws {
        let home = try Self.sampleHome()
        defer { home.remove() }
        let unknown = try home.run("optimize", ["--strategy", "mean_reversion", "--params", "lookbak"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'lookbak' is not a parameter"))
        let both = try home.run("optimize", ["--strategy", "mean_reversion", "--grid", "--random", "3"])
        #expect(both.status == 64)
        let fraction = try home.run("optimize", ["--strategy", "mean_reversion", "--train-fraction", "1.5"])
        #expect(fraction.status == 64)
        let noRanges = try home.run("optimize", ["--strategy", "bollinger_reference", "--risk-preset", "dev"])
        #expect(noRanges.status == 78)
        #expect(noRanges.stderr.contains("no parameter has a range"))
        let tooLarge = try home.run("optimize", ["--strategy", "momentum"])
        #expect(tooLarge.status == 64)
        #expect(tooLarge.stderr.contains("--random"))
        let lateSplit = try home.run("optimize", ["--strategy", "mean_reversion", "--params", "lookback", "--split-date", "2021-06-01"])
        #expect(lateSplit.status == 66)
        #expect(lateSplit.stderr.contains("no out-of-sample day"))
    }

    @Test func walkForwardReportsTheStitchedOutOfSampleBesideInSample() throws {
        let home = try Self.sampleHome()
        defer { home.remove() }
        let result = try home.run("backtest", [
            "--strategy", "mean_reversion", "--walk-forward", "--train-days", "4", "--test-days", "2",
            "--params", "lookback,entry_z", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Self.json(result.stdout)
        let windows = try #require(report["windows"] as? [[String: Any]])
        #expect(windows.count == 3)
        var previousTestLast = ""
        for w in windows {
            let trainFirst = try #require(w["train_first"] as? String), trainLast = try #require(w["train_last"] as? String)
            let testFirst = try #require(w["test_first"] as? String), testLast = try #require(w["test_last"] as? String)
            #expect(trainFirst <= trainLast && trainLast < testFirst && testFirst <= testLast)
            #expect(previousTestLast < testFirst)
            previousTestLast = testLast
            #expect(w["train_days"] as? Int == 4)
            let parameters = try #require(w["parameters"] as? [String: Double])
            #expect(Set(parameters.keys) == ["lookback", "entry_z"])
            #expect(w["sets_evaluated"] as? Int == 77)
        }
        let outOfSample = try #require(report["out_of_sample"] as? [String: Any])
        let inSample = try #require(report["in_sample"] as? [String: Any])
        #expect(outOfSample["metrics"] is [String: Any] && inSample["metrics"] is [String: Any])
        #expect((outOfSample["metrics"] as? [String: Any])?["exit_reasons"] is [String: Any])
        #expect(outOfSample["first_day"] as? String == windows[0]["test_first"] as? String)
        #expect(outOfSample["last_day"] as? String == windows[2]["test_last"] as? String)

        let runs = try Self.runDirectories(home, "backtest")
        #expect(runs.count == 1)
        #expect(runs[0].lastPathComponent.hasSuffix("mean_reversion_walk_forward"))
        for name in ["walk_forward.json", "walk_forward.html", "summary.json", "trades.csv", "daily_equity.csv", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: runs[0].appending(path: name).path), "\(name) missing")
        }
        // The stitched run's daily equity covers exactly the test days.
        let daily = try String(contentsOf: runs[0].appending(path: "daily_equity.csv"), encoding: .utf8).split(separator: "\n")
        #expect(daily.count == 1 + 6)
    }

    @Test func walkForwardPrintsTheWindowsAndRefusesBadFlags() throws {
        let home = try Self.sampleHome()
        defer { home.remove() }
        let text = try home.run("backtest", [
            "--strategy", "mean_reversion", "--walk-forward", "--train-days", "5", "--test-days", "2", "--random", "6",
            "--seed", "3", "--report", "summary",
        ])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("walk-forward "))
        #expect(text.stdout.contains("(stitched)") && text.stdout.contains("(hindsight)"))
        #expect(text.stdout.contains("random over lookback, entry_z, exit_z, stop_atr_multiple: 6 sets asked"))
        let run = try Self.runDirectories(home, "backtest")[0]
        #expect(FileManager.default.fileExists(atPath: run.appending(path: "walk_forward.json").path))
        #expect(!FileManager.default.fileExists(atPath: run.appending(path: "walk_forward.html").path))

        let noWalk = try home.run("backtest", ["--strategy", "mean_reversion", "--train-days", "5"])
        #expect(noWalk.status == 64)
        #expect(noWalk.stderr.contains("--walk-forward"))
        let missing = try home.run("backtest", ["--strategy", "mean_reversion", "--walk-forward", "--train-days", "5"])
        #expect(missing.status == 64)
        let two = try home.run("backtest", ["--strategy", "mean_reversion,momentum", "--walk-forward", "--train-days", "5", "--test-days", "2"])
        #expect(two.status == 64)
        let monteCarlo = try home.run("backtest", ["--strategy", "mean_reversion", "--walk-forward", "--train-days", "5",
                                                   "--test-days", "2", "--monte-carlo"])
        #expect(monteCarlo.status == 64)
        let overlap = try home.run("backtest", ["--strategy", "mean_reversion", "--walk-forward", "--train-days", "5",
                                                "--test-days", "2", "--step-days", "1"])
        #expect(overlap.status == 64)
        #expect(overlap.stderr.contains("overlap"))
        let tooLong = try home.run("backtest", ["--strategy", "mean_reversion", "--walk-forward", "--train-days", "40",
                                                "--test-days", "2", "--params", "lookback"])
        #expect(tooLong.status == 66)
    }
}
