import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeCommands

/// The lifecycle's parts: the stage ladder, a strategy's identity, the gates' numbers, the size a
/// live stage trades, and the stage records on both backends.
@Suite struct LifecycleTests {
    let settings = GeneralConfig.Lifecycle.defaults

    @Test func theLadderAndItsShares() {
        #expect(StrategyStage.allCases.map(\.rawValue) == ["research", "paper", "live-10", "live-25", "live-50", "live-100", "retired"])
        #expect(StrategyStage.allCases.map(\.livePercent) == [nil, nil, 10, 25, 50, 100, nil])
        #expect(StrategyStage.allCases.map(\.next) == [.paper, .live10, .live25, .live50, .live100, nil, nil])
    }

    /// The hash covers what decides trades (a parameter value, a symbol, an exit) and nothing else
    /// (the description, the enabled flag, the optimiser's ranges, `2.0` written as `2`).
    @Test func theIdentityChangesWithWhatDecidesTrades() throws {
        let base = try ConfigTestHome().load(environment: [:]).strategies.first { $0.name == "mean_reversion" }!
        let id = StrategyIdentity(config: base)
        #expect(id.name == "mean_reversion" && id.parametersHash.count == 16)
        var same = base
        same.description = "another description"
        same.enabled = false
        same.riskPreset = "dev"
        same.parameters.entries[0].spec.range = nil
        #expect(StrategyIdentity(config: same) == id)
        var changed = base
        changed.parameters.entries[0].spec.value = .integer(21)
        #expect(StrategyIdentity(config: changed).parametersHash != id.parametersHash)
        var symbols = base
        symbols.symbols = ["NIFTY 50"]
        #expect(StrategyIdentity(config: symbols).parametersHash != id.parametersHash)
        var reordered = base
        reordered.symbols.reverse()
        #expect(StrategyIdentity(config: reordered) == id, "the symbols' order does not change the trades")
    }

    func evidence(efficiency: Double?, breach: Double?, regimes: [(String, Int, Int64, Double?)]) -> ResearchEvidence {
        ResearchEvidence(
            runID: "r", riskPreset: "default", periodStart: LocalDate("2020-01-01")!, periodEnd: LocalDate("2020-12-31")!,
            tradingDays: 250, trades: 100, netPnL: 50_000_00, expectancy: 500_00, profitFactor: 1.3, startingCapital: 10_00_000_00,
            walkForwardEfficiency: efficiency, walkForwardWindows: 6, breachProbability: breach, simulations: 10_000,
            regimes: regimes.map { name, days, net, pf in
                RegimeMetrics(regime: name, days: days, trades: days, wins: 0, losses: 0, netPnL: net, charges: 0, equityChange: net,
                              returnOnCapital: 0, winRate: nil, profitFactor: pf, expectancy: nil, worstDay: nil, worstDayChange: nil,
                              sharpeRatio: nil)
            })
    }

    /// research → paper names each gate with its number and its limit.
    @Test func theResearchGatesNameTheirNumbers() {
        let missing = LifecycleGates.research(nil, settings: settings, evaluateCommand: "strategy evaluate x")
        #expect(missing == [GateCheck("evidence", false, "no research evidence for these parameters; run: strategy evaluate x")])

        let e = evidence(efficiency: 0.62, breach: 0.031, regimes: [("bull", 120, 80_000_00, 1.5), ("bear", 40, -9_000_00, 0.8),
                                                                  ("sideways", 90, -12_000_00, 0.9)])
        let checks = LifecycleGates.research(e, settings: settings, evaluateCommand: "")
        #expect(checks.map(\.gate) == ["walk-forward efficiency", "Monte Carlo breach", "bull regime", "bear regime", "sideways regime"])
        #expect(checks.map(\.met) == [true, true, true, true, false], "\(checks)")
        #expect(checks[0].detail == "0.62 over 6 windows; needs at least 0.5")
        #expect(checks[1].detail == "3.1% chance of breaching default's limits; needs at most 5.0%")
        #expect(checks[3].detail.contains("profit factor 0.80, net ₹-9000.00"), "a loss inside 1% of ₹10,00,000 passes: \(checks[3].detail)")
        #expect(checks[4].detail.hasSuffix("or a loss no worse than 1% of capital (₹10000.00)"), "\(checks[4].detail)")

        let thin = LifecycleGates.research(evidence(efficiency: nil, breach: 0.2, regimes: [("bull", 250, 1, 1.2)]),
                                           settings: settings, evaluateCommand: "")
        #expect(thin.filter { !$0.met }.map(\.gate) == ["walk-forward efficiency", "Monte Carlo breach", "bear regime", "sideways regime"])
        #expect(thin[3].detail.hasPrefix("0 bear trading days in 2020-01-01…2020-12-31; needs at least 20"))
    }

    @Test func thePaperAndLiveGates() {
        let backtest = evidence(efficiency: 1, breach: 0, regimes: [])  // ₹500 a trade
        let days = Array(repeating: (trades: 2, net: Int64(300_00)), count: 30)
        let good = LifecycleGates.paper(StageRecord(dailyNet: days), evidence: backtest, settings: settings)
        let record = StageRecord(dailyNet: days)
        #expect(record.days == 30 && record.trades == 60 && record.netPnL == 9_000_00 && record.expectancy == 150_00)
        #expect(good[1].detail == "₹150.00 a trade over 60 paper trades against the backtest's ₹500.00; needs at least ₹250.00 (tolerance 0.5)")
        #expect(good[1].met == false)
        let short = LifecycleGates.paper(StageRecord(dailyNet: Array(days.prefix(12))), evidence: backtest, settings: settings)
        #expect(short[0] == GateCheck("paper days", false, "12 paper trading days with these parameters; needs at least 30"))

        let live = StageRecord(dailyNet: [(1, 10_000_00), (1, -25_000_00), (1, -10_000_00), (1, 5_000_00)])
        #expect(live.drawdown == 35_000_00 && live.netPnL == -20_000_00)
        let checks = LifecycleGates.live(live, stage: .live25, startingCapital: 10_00_000_00, settings: settings)
        #expect(checks == [
            GateCheck("days at live-25", false, "4 live trading days at live-25; needs at least 20"),
            GateCheck("live drawdown", false, "₹35000.00 at live-25; the limit is 3% of capital (₹30000.00)"),
        ])
    }

    /// A live stage trades its share of the size, rounded down to lots; under one lot, no trade.
    @Test func aLiveStageTradesItsShareInWholeLots() {
        let series = istBars([("2021-03-01", "10:00", 10_000, 10_000), ("2021-03-01", "10:01", 10_000, 10_000),
                              ("2021-03-01", "10:02", 10_000, 10_000), ("2021-03-01", "10:03", 10_000, 10_000)])
        let lots = [Instrument(symbol: "NIFTY 50", lotSize: 25)]
        func run(_ percent: Int, quantity: Int64) -> (orders: [Int64], rejected: [String]) {
            let strategy = ScriptedStrategy(script: [0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: quantity)])
            var core = TradingCore(strategies: [strategy], instruments: lots, startingCapital: 100_000_000,
                                   risk: RiskManager(rules: RiskRules(), symbolNames: ["NIFTY 50"]))
            core.livePercent = [percent]
            let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
            return (outcome.core.orders.filter { $0.request.purpose == .entry }.map(\.request.quantity),
                    outcome.core.rejections.map { "\($0.rejection.rule): \($0.rejection.reason)" })
        }
        #expect(run(100, quantity: 250).orders == [250])
        #expect(run(25, quantity: 250).orders == [50], "62.5 units round down to 2 lots of 25")
        #expect(run(10, quantity: 250).orders == [25])
        let none = run(10, quantity: 200)
        #expect(none.orders.isEmpty)
        #expect(none.rejected == ["lifecycle.stage: at its live stage's 10% the 200 units sized come to 20, less than one lot of 25"])
    }

    /// Stage changes append; the newest is the stage; evidence is kept per parameter set.
    @Test(arguments: TestBackend.enabled)
    func stagesAreRecordedAndRead(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
        try Migrator(database: database).migrate()
        let store = StateRepository(database: database)
        let id = StrategyIdentity(name: "momentum", parametersHash: "0123456789abcdef")
        #expect(try store.currentStage(id) == nil)
        for (i, (from, to)) in [(StrategyStage.research, StrategyStage.paper), (.paper, .live10)].enumerated() {
            try store.recordStageChange(StrategyStageChange(identity: id, stage: to, previousStage: from,
                                                            changedAt: UTCTimestamp(secondsSinceEpoch: 1_600_000_000 + Int64(i)),
                                                            actor: "trader", reason: "step \(i)", evidence: "{\"i\":\(i)}"))
        }
        #expect(try store.currentStage(id)?.stage == .live10)
        #expect(try store.stageHistory(id).map(\.reason) == ["step 0", "step 1"])
        let other = StrategyIdentity(name: "momentum", parametersHash: "fedcba9876543210")
        #expect(try store.currentStage(other) == nil)
        #expect(try store.otherParameterSets(of: other).map(\.stage) == [.paper, .live10])
        try store.recordEvidence(StrategyEvidenceRecord(identity: id, recordedAt: UTCTimestamp(secondsSinceEpoch: 5), runID: "a",
                                                        periodStart: LocalDate("2021-01-01")!, periodEnd: LocalDate("2021-02-01")!, evidence: "{}"))
        try store.recordEvidence(StrategyEvidenceRecord(identity: id, recordedAt: UTCTimestamp(secondsSinceEpoch: 6), runID: "b",
                                                        periodStart: LocalDate("2021-01-01")!, periodEnd: LocalDate("2021-03-01")!, evidence: "{}"))
        #expect(try store.latestEvidence(id)?.runID == "b" && store.latestEvidence(other) == nil)
        #expect(throws: (any Error).self) {
            try store.recordStageChange(StrategyStageChange(identity: id, stage: .live10, previousStage: .paper, changedAt: .now(),
                                                            actor: "someone", reason: "x", evidence: "{}"))
        }
        }
    }
}

/// The trade-by-trade comparison of a day's drift.
@Suite struct DayDriftTests {
    func trade(_ strategy: String, _ side: Side, at minute: Int64, entry: Double, exit: Double, net: Int64, symbol: String = "NIFTY 50")
        -> DayDrift.Trade {
        DayDrift.Trade(strategy: strategy, symbol: symbol, side: side, quantity: 65, entryPrice: entry, exitPrice: exit,
                       entryTime: 1_614_052_800 + minute * 60, netPnL: net)
    }

    /// Matched within five minutes on symbol and direction; slippage adverse-positive per unit; the
    /// unmatched on each side are missed and extra entries.
    @Test func tradesAreMatchedAndTheirDifferencesCounted() {
        let backtest = [trade("a", .buy, at: 0, entry: 1_500_000, exit: 1_501_000, net: 50_000),
                        trade("a", .sell, at: 30, entry: 1_502_000, exit: 1_500_000, net: 120_000),
                        trade("a", .buy, at: 90, entry: 1_500_000, exit: 1_499_000, net: -70_000),
                        trade("b", .buy, at: 10, entry: 1_500_000, exit: 1_500_500, net: 20_000)]
        let engine = [trade("a", .buy, at: 1, entry: 1_500_010, exit: 1_500_995, net: 48_000),      // 10 + 5 paise worse
                      trade("a", .sell, at: 33, entry: 1_501_990, exit: 1_500_005, net: 118_000),   // 10 + 5 paise worse
                      trade("a", .buy, at: 200, entry: 1_499_000, exit: 1_499_500, net: 30_000),   // no backtest entry near it
                      trade("c", .sell, at: 5, entry: 1_500_000, exit: 1_500_000, net: -1_000)]
        let drift = DayDrift.compare(engine: engine, backtest: backtest)
        #expect(drift.map(\.strategy) == ["a", "b", "c"])
        #expect(drift[0] == StrategyDrift(strategy: "a", engineTrades: 3, backtestTrades: 3, matched: 2, missedEntries: 1, extraEntries: 1,
                                          averageSlippage: 7.5, engineNetPnL: 196_000, backtestNetPnL: 100_000))
        #expect(drift[0].difference == 96_000)
        #expect(drift[1].missedEntries == 1 && drift[1].engineTrades == 0 && drift[1].averageSlippage == nil)
        #expect(drift[2].extraEntries == 1 && drift[2].backtestTrades == 0)
        #expect(DayDrift.compare(engine: [trade("a", .sell, at: 0, entry: 1, exit: 1, net: 0)],
                                 backtest: [trade("a", .buy, at: 0, entry: 1, exit: 1, net: 0)])[0].matched == 0, "direction must agree")

        let period = PeriodReport.Drift(days: [(LocalDate("2021-02-23")!, drift), (LocalDate("2021-02-24")!, [drift[0]])])
        #expect(period.byStrategy[0].matched == 4 && period.byStrategy[0].averageSlippage == 7.5)
        #expect(period.byDay.map(\.difference) == [96_000 - 20_000 - 1_000, 96_000])
    }
}
