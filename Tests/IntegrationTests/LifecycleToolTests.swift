import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import Foundation
import AlphaPrimeCommands
import Testing

/// A strategy taken from research to live-10 with the built `strategy` and `engine` tools over the
/// bundled February 2021 days, the clock faked (`ALPHA_PRIME_NOW`): each promotion refused with
/// its unmet gates named until they are met; a changed parameter starts again at research; the
/// live engine refuses a strategy below live-10.
@Suite(.serialized) struct LifecycleToolTests {
    static let days = ["2021-02-15", "2021-02-16", "2021-02-17", "2021-02-18", "2021-02-19",
                       "2021-02-22", "2021-02-23", "2021-02-24", "2021-02-25", "2021-02-26"]

    static func importDaily(_ home: TestHome) throws {
        let daily = TestHome.repositoryRoot.appending(path: "Tests/AlphaPrimeTests/Fixtures/regimes/nifty50_daily_2019-01_2021-03.csv")
        let imported = try home.run("market-data", ["import", "--format", "iso", "--symbol", "NIFTY50", "--policy", "skip", daily.path])
        #expect(imported.status == 0, "\(imported.output)")
    }

    @Test func aStrategyGoesFromResearchToLiveTenThroughItsGates() throws {
        let engineHome = try EngineTestHome()
        let home = engineHome.home
        try Self.importDaily(home)
        // Momentum alone, so its paper days are its own (the others would share its risk limits).
        for other in ["mean_reversion", "breakout_scalper"] {
            try home.edit("config/strategies/\(other).yaml", replacing: "enabled: true", with: "enabled: false")
        }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        func strategy(_ arguments: [String], at now: String = "2021-02-14T20:00") throws -> ToolProcess.Result {
            try home.run("strategy", arguments, environment: [MarketClock.testVariable: now])
        }

        let fresh = try strategy(["status", "momentum"])
        #expect(fresh.status == 0, "\(fresh.output)")
        #expect(fresh.stdout.contains("momentum (parameters ") && fresh.stdout.contains("): research"), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("[ no ] evidence: no research evidence for these parameters; run: strategy evaluate momentum"))
        #expect(try strategy(["promote", "momentum", "--reason", "looks good"]).status == 64, "--confirm is required")
        let noEvidence = try strategy(["promote", "momentum", "--confirm", "--reason", "looks good"])
        #expect(noEvidence.status == 5 && noEvidence.stderr.contains("momentum stays research: 1 of 1 gates to paper unmet"), "\(noEvidence.output)")

        let evaluated = try strategy(["evaluate", "momentum", "--train-days", "4", "--test-days", "2", "--random", "4", "--simulations", "200"])
        #expect(evaluated.status == 0, "\(evaluated.output)")
        #expect(evaluated.stdout.contains("walk-forward: 3 windows, efficiency "), "\(evaluated.stdout)")
        let run = try #require(evaluated.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        for file in ["summary.json", "regimes.csv", "regime_days.csv", "monte_carlo.json", "walk_forward.json"] {
            #expect(FileManager.default.fileExists(atPath: home.path("reports/backtest/\(run)/\(file)").path), "\(file) of \(run)")
        }
        let regimesShort = try strategy(["promote", "momentum", "--confirm", "--reason", "looks good"])
        #expect(regimesShort.status == 5)
        #expect(regimesShort.stderr.contains("bear regime: 0 bear trading days in 2021-02-15…2021-02-26; needs at least 20"), "\(regimesShort.stderr)")
        #expect(regimesShort.stderr.contains("sideways regime: 0 sideways trading days"))

        // Gates a ten-day sample can meet; the numbers are still the measured ones.
        for (old, new) in [("min_walk_forward_efficiency: 0.5 ", "min_walk_forward_efficiency: 0.4 "),
                           ("min_regime_days: 20 ", "min_regime_days: 0 "), ("min_paper_days: 30 ", "min_paper_days: 10 "),
                           ("min_live_days: 20 ", "min_live_days: 5 ")] {
            try home.edit("config/general_config.yaml", replacing: old, with: new)
        }
        let toPaper = try strategy(["promote", "momentum", "--confirm", "--reason", "walk-forward and Monte Carlo pass"])
        #expect(toPaper.status == 0, "\(toPaper.output)")
        #expect(toPaper.stdout.contains("promoted momentum from research to paper"))
        #expect(toPaper.stdout.contains("[ no ] paper days: 0 paper trading days with these parameters; needs at least 10"), "\(toPaper.stdout)")

        // Paper trading: five days are not enough, ten are.
        let firstWeek = try engineHome.engine(["run", "--mode", "paper"] + Self.days.prefix(5).flatMap { ["--replay", $0] })
        #expect(firstWeek.status == 0, "\(firstWeek.stderr)")
        let early = try strategy(["promote", "momentum", "--confirm", "--reason", "paper is fine"], at: "2021-02-20T10:00")
        #expect(early.status == 5 && early.stderr.contains("paper days: 5 paper trading days with these parameters; needs at least 10"),
                "\(early.output)")
        let secondWeek = try engineHome.engine(["run", "--mode", "paper"] + Self.days.suffix(5).flatMap { ["--replay", $0] })
        #expect(secondWeek.status == 0, "\(secondWeek.stderr)")
        let status = try strategy(["status", "momentum", "--json"], at: "2021-02-27T10:00")
        let standing = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]]).first
        let checks = standing?["checks"] as? [[String: Any]] ?? []
        #expect(standing?["stage"] as? String == "paper" && standing?["next"] as? String == "live-10")
        #expect(checks.first { $0["gate"] as? String == "paper days" }?["met"] as? Bool == true, "\(checks)")
        let toLive = try strategy(["promote", "momentum", "--confirm", "--reason", "ten paper days match the backtest"], at: "2021-02-27T10:00")
        #expect(toLive.status == 0, "\(toLive.output) \(status.stdout)")
        #expect(toLive.stdout.contains("promoted momentum from paper to live-10"))
        #expect(toLive.stdout.contains("[ no ] days at live-10: 0 live trading days at live-10; needs at least 5"))

        // Recorded with who, why and the gates' numbers.
        let rows = try engineHome.database().query("SELECT stage, previous_stage, actor, reason, evidence FROM strategy_stages ORDER BY id")
        #expect(rows.map { (try? $0.string("stage")) ?? "" } == ["paper", "live-10"])
        #expect(rows.allSatisfy { (try? $0.string("actor")) == "trader" })
        #expect((try rows.last?.string("evidence") ?? "").contains("\"gate\":\"paper versus backtest\""))

        // A changed parameter is another strategy: back to research, the earlier set named.
        try home.edit("config/strategies/momentum.yaml", replacing: "value: 21", with: "value: 22")
        let changed = try strategy(["status", "momentum"], at: "2021-02-27T11:00")
        #expect(changed.stdout.contains("): research"), "\(changed.stdout)")
        #expect(changed.stdout.contains(": live-10 (a changed parameter set starts at research)"), "\(changed.stdout)")

        let demote = try strategy(["demote", "momentum", "--to", "paper", "--confirm", "--reason", "x"], at: "2021-02-27T11:00")
        #expect(demote.status == 64 && demote.stderr.contains("momentum is research: --to must be a lower stage or retired"), "\(demote.output)")
        let retire = try strategy(["demote", "momentum", "--to", "retired", "--confirm", "--reason", "parameters abandoned"], at: "2021-02-27T11:00")
        #expect(retire.status == 0 && retire.stdout.contains("demoted momentum from research to retired"), "\(retire.output)")
        let revive = try strategy(["demote", "momentum", "--to", "paper", "--confirm", "--reason", "x"], at: "2021-02-27T11:00")
        #expect(revive.status == 64 && revive.stderr.contains("momentum is retired: it can only start again at research"), "\(revive.output)")
    }

    /// A live rehearsal against kite-sim at live-10 and at live-25 (capital ₹1 crore, so the paper
    /// day sizes 7 to 26 lots): every live entry is a whole number of lots, at most the stage's share
    /// of the paper day's largest size of its symbol, entries under one lot are refused by
    /// `lifecycle.stage`, and live-25 trades more than live-10. With a drawdown limit the next day
    /// passes, the engine demotes to paper after that session and the next live start is refused.
    @Test func aLiveSessionTradesItsStagesShare() throws {
        func home() throws -> EngineTestHome {
            let h = try EngineTestHome()
            try h.home.edit("config/general_config.yaml", replacing: "starting_capital: 1000000", with: "starting_capital: 10000000")
            return h
        }
        func trades(_ h: EngineTestHome) throws -> [(symbol: String, quantity: Int64)] {
            try h.database().query("SELECT symbol, quantity FROM trades ORDER BY id").map { (try $0.string("symbol"), try $0.int64("quantity")) }
        }
        let paper = try home()
        #expect(try paper.engine(["run", "--mode", "paper", "--replay", "2021-02-23"]).status == 0)
        let full = try trades(paper)
        let lot = ["NIFTY 50": Int64(65), "BANKNIFTY": 30]
        var largest: [String: Int64] = [:]
        for t in full { largest[t.symbol] = max(largest[t.symbol] ?? 0, t.quantity) }

        var totals: [Int64] = []
        for (stage, percent) in [(StrategyStage.live10, Int64(10)), (.live25, 25)] {
            let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--cash", "10000000"])
            let live = try home()
            try sim.configureLive(live.home, lifecycleStage: stage)
            let run = try live.engine(["run", "--mode", "live", "--replay", "2021-02-23", "--confirm-live"])
            #expect(run.status == 0, "\(run.stderr)")
            let staged = try trades(live)
            #expect(!staged.isEmpty, "\(stage.rawValue) trades")
            for t in staged {
                let l = lot[t.symbol] ?? 1
                #expect(t.quantity % l == 0 && t.quantity <= (largest[t.symbol] ?? 0) * percent / 100, "\(stage.rawValue): \(t)")
            }
            let refused = try live.database().queryFirst(
                "SELECT COUNT(*) AS n FROM risk_events WHERE mode = 'live' AND rule = 'lifecycle.stage'")?.int64("n") ?? 0
            totals.append(staged.reduce(0) { $0 + $1.quantity })
            print("\(stage.rawValue): \(staged.count) trades, \(totals.last!) units (paper \(full.count) trades, \(full.reduce(0) { $0 + $1.quantity }) units); \(refused) entries under one lot refused")
            if stage == .live10 { #expect(refused > 0, "the paper day's 7-lot NIFTY entries are under one lot at 10%") }
            if stage == .live25 {
                // Drift: the live day against its re-run at the stage's share (kite-sim fills with the paper broker's tick of
                // slippage): the same trades, to the paisa.
                let report = try live.home.run("report", ["daily", "--date", "2021-02-23", "--mode", "live", "--json"])
                #expect(report.status == 0, "\(report.stderr)")
                let summary = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
                let drift = (summary?["drift"] as? [String: Any])?["by_strategy"] as? [[String: Any]] ?? []
                #expect(!drift.isEmpty && drift.allSatisfy { ($0["matched"] as? Int ?? 0) > 0 }, "\(drift)")
                #expect(drift.allSatisfy { $0["missed_entries"] as? Int == 0 && $0["extra_entries"] as? Int == 0
                        && $0["difference_paise"] as? Int64 == 0 && $0["average_slippage_paise"] as? Double == 0 }, "\(drift)")
                print("drift at live-25 on 2021-02-23: \(drift)")
                // A drawdown limit the day passes: the engine demotes after the session, and the next live start is refused.
                #expect(!run.stderr.contains("demoted"), "\(run.stderr)")
                try live.home.edit("config/general_config.yaml", replacing: "demote_drawdown_pct: 3.0 ", with: "demote_drawdown_pct: 0.01 ")
                let again = try live.engine(["run", "--mode", "live", "--replay", "2021-02-24", "--confirm-live"])
                #expect(again.status == 0, "\(again.stderr)")
                #expect(again.stderr.contains("demoted from live-25 to paper: live drawdown ₹"), "\(again.stderr)")
                let demotions = try live.database().query("SELECT strategy, stage, previous_stage FROM strategy_stages WHERE actor = 'engine'")
                #expect(!demotions.isEmpty && demotions.allSatisfy { (try? $0.string("stage")) == "paper" })
                let refusedStart = try live.engine(["run", "--mode", "live", "--replay", "2021-02-25", "--confirm-live"])
                #expect(refusedStart.status == 5 && refusedStart.stderr.contains("is paper, below live-10"), "\(refusedStart.output)")
            }
        }
        #expect(totals[1] > totals[0])
    }

    /// One strategy climbs every live stage through its gates against kite-sim over the bundled
    /// days (capital ₹1 crore, two live days needed at each stage, the clock faked): each promotion is
    /// refused with the days still missing until they are there; each live day trades whole lots and
    /// equals its backtest re-run at the stage's share trade for trade; each stage trades a larger
    /// share of the same days' paper size than the one before (a refused entry under one lot can let
    /// another through, so a share is not exactly the stage's), and live-100 trades the paper days.
    @Test func aStrategyClimbsFromLiveTenToFullSize() throws {
        let capital = ("starting_capital: 1000000", "starting_capital: 10000000")
        let stages: [(StrategyStage, [String])] = [
            (.live10, ["2021-02-15", "2021-02-16"]), (.live25, ["2021-02-17", "2021-02-18"]),
            (.live50, ["2021-02-19", "2021-02-22"]), (.live100, ["2021-02-23", "2021-02-24"])]
        func momentumAlone(_ h: EngineTestHome) throws {
            try h.home.edit("config/general_config.yaml", replacing: capital.0, with: capital.1)
            for other in ["mean_reversion", "breakout_scalper"] {
                try h.home.edit("config/strategies/\(other).yaml", replacing: "enabled: true", with: "enabled: false")
            }
        }
        typealias Fill = (day: String, symbol: String, quantity: Int64)
        func trades(_ h: EngineTestHome, mode: String) throws -> [Fill] {
            try h.database().query("SELECT symbol, quantity, entry_at_us FROM trades WHERE mode = '\(mode)' ORDER BY id").map {
                (IST.dateTime(epochSeconds: try $0.int64("entry_at_us") / 1_000_000).date.description, try $0.string("symbol"), try $0.int64("quantity"))
            }
        }
        // Each day alone on paper: the full size the stages take their share of.
        var paperUnits: [String: Int64] = [:]
        for day in stages.flatMap(\.1) {
            let paper = try EngineTestHome()
            try momentumAlone(paper)
            let run = try paper.engine(["run", "--mode", "paper", "--replay", day])
            #expect(run.status == 0, "\(run.stderr)")
            paperUnits[day] = try trades(paper, mode: "paper").reduce(0) { $0 + $1.quantity }
        }

        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--cash", "10000000"])
        let live = try EngineTestHome()
        try momentumAlone(live)
        try live.home.edit("config/general_config.yaml", replacing: "min_live_days: 20 ", with: "min_live_days: 2 ")
        try sim.configureLive(live.home, lifecycleStage: .live10)
        func strategy(_ arguments: [String], at now: String) throws -> ToolProcess.Result {
            try live.home.run("strategy", arguments, environment: [MarketClock.testVariable: now])
        }
        let lot = ["NIFTY 50": Int64(65), "BANKNIFTY": 30]
        var shares: [Double] = []
        for (stage, days) in stages {
            var units: Int64 = 0
            for (index, day) in days.enumerated() {
                let before = try trades(live, mode: "live").count
                let run = try live.engine(["run", "--mode", "live", "--replay", day, "--confirm-live"])
                #expect(run.status == 0, "\(stage.rawValue) \(day): \(run.stderr)")
                let traded = try trades(live, mode: "live").dropFirst(before)
                for t in traded {
                    #expect(t.day == day && t.quantity % (lot[t.symbol] ?? 1) == 0, "\(stage.rawValue) \(day): \(t)")
                    units += t.quantity
                }
                // The day against its backtest re-run at the stage's share: the same trades, to the paisa.
                let report = try live.home.run("report", ["daily", "--date", day, "--mode", "live", "--json"])
                #expect(report.status == 0, "\(report.stderr)")
                let summary = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
                let drift = (summary?["drift"] as? [String: Any])?["by_strategy"] as? [[String: Any]] ?? []
                #expect(drift.allSatisfy { $0["missed_entries"] as? Int == 0 && $0["extra_entries"] as? Int == 0
                        && $0["difference_paise"] as? Int64 == 0 }, "\(stage.rawValue) \(day): \(drift)")
                #expect(traded.isEmpty || drift.contains { ($0["matched"] as? Int ?? 0) == traded.count }, "\(stage.rawValue) \(day): \(drift)")
                guard stage.next != nil, index == 0 else { continue }
                let early = try strategy(["promote", "momentum", "--confirm", "--reason", "one day is enough"], at: "\(day)T16:00")
                #expect(early.status == 5, "\(early.output)")
                #expect(early.stderr.contains("days at \(stage.rawValue): 1 live trading days at \(stage.rawValue); needs at least 2"),
                        "\(early.stderr)")
            }
            let paper = days.reduce(Int64(0)) { $0 + (paperUnits[$1] ?? 0) }
            shares.append(Double(units) / Double(max(paper, 1)))
            print("\(stage.rawValue) on \(days.joined(separator: ", ")): \(units) units (the same days on paper: \(paper))")
            if stage == .live100 { #expect(units == paper, "live-100 trades the paper days' size") }
            guard let next = stage.next else { continue }
            let promoted = try strategy(["promote", "momentum", "--confirm", "--reason", "two steady days at \(stage.rawValue)"],
                                        at: "\(days.last!)T16:00")
            #expect(promoted.status == 0, "\(promoted.output)")
            #expect(promoted.stdout.contains("promoted momentum from \(stage.rawValue) to \(next.rawValue)"), "\(promoted.stdout)")
        }
        #expect(zip(shares, shares.dropFirst()).allSatisfy { $0 < $1 }, "each stage trades a larger share of the paper days: \(shares)")
        let top = try strategy(["status", "momentum"], at: "2021-02-24T16:00")
        #expect(top.status == 0 && top.stdout.contains("): live-100"), "\(top.output)")
        let history = try live.database().query("SELECT stage FROM strategy_stages WHERE actor = 'trader' ORDER BY id").map { try $0.string("stage") }
        #expect(history == ["live-10", "live-25", "live-50", "live-100"], "\(history)")
    }

    /// A live day that drifts from its backtest re-run (kite-sim fills three ticks against the paper
    /// broker's one) beyond `lifecycle.demote_drift_pct` demotes the strategy to paper after the session.
    @Test func aLiveDayThatDriftsDemotes() throws {
        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "3"])
        let live = try EngineTestHome()
        try sim.configureLive(live.home, lifecycleStage: .live100)
        try live.home.edit("config/general_config.yaml", replacing: "demote_drift_pct: 1.0 ", with: "demote_drift_pct: 0.01 ")
        let run = try live.engine(["run", "--mode", "live", "--replay", "2021-02-23", "--confirm-live"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("demoted from live-100 to paper: on 2021-02-23 the live day drifted ₹-"), "\(run.stderr)")
        #expect(run.stderr.contains("beyond 0.01% of capital (₹100.00)"))
        let rows = try live.database().query("SELECT reason FROM strategy_stages WHERE actor = 'engine' AND stage = 'paper'")
        #expect(!rows.isEmpty)
    }

    /// The live engine refuses to start while an enabled strategy is below live-10, naming each.
    @Test func theLiveEngineRefusesAStrategyBelowLiveTen() throws {
        let sim = try KiteSimProcess(["--market", "external"])
        let live = try EngineTestHome()
        try sim.configureLive(live.home, lifecycleStage: nil)
        let refused = try live.engine(["run", "--mode", "live", "--replay", "2021-02-23", "--confirm-live"])
        #expect(refused.status == 5, "\(refused.output)")
        #expect(refused.stderr.contains("is research, below live-10"), "\(refused.stderr)")
        #expect(refused.stderr.contains("engine: live trading refused: every enabled strategy must be at live-10 or above"))
        let orders = try live.database().queryFirst("SELECT COUNT(*) AS n FROM orders")?.int64("n")
        #expect(orders == 0, "nothing was sent")
    }
}
