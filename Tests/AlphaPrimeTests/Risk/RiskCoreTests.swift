import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// Bars of one symbol at given IST times: (date, time, open, close); high and low from them.
func istBars(_ rows: [(String, String, Int64, Int64)], symbol: String = "TEST") -> BarSeries {
    var series = BarSeries(symbol: symbol, timeframeSeconds: 60)
    for (date, time, open, close) in rows {
        series.append(Bar(time: ist(date, time), open: open, high: max(open, close), low: min(open, close), close: close))
    }
    return series
}

/// The risk stage inside the trading core: limits trip on the right bar and act.
@Suite struct RiskCoreTests {
    let unit = [Instrument(symbol: "NIFTY 50")]

    @Test func squareOffFlattensAtItsTimeAndStopsEntriesForTheDay() {
        let series = istBars([
            ("2021-03-01", "15:17", 10_000, 10_000),  // 0: enter
            ("2021-03-01", "15:18", 10_000, 10_100),  // 1: filled at 10_000
            ("2021-03-01", "15:19", 10_100, 10_100),
            ("2021-03-01", "15:20", 10_100, 10_200),  // 3: square-off
            ("2021-03-01", "15:21", 10_250, 10_250),  // 4: flattened at 10_250; entry refused
            ("2021-03-01", "15:22", 10_250, 10_250),
            ("2021-03-02", "09:15", 10_300, 10_300),  // 6: enter again
            ("2021-03-02", "09:16", 10_300, 10_300),
        ])
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 10),
            4: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 10),
            6: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 10),
        ])
        var rules = RiskRules()
        rules.squareOffMinute = 15 * 60 + 20
        let core = TradingCore(strategies: [strategy], instruments: unit, startingCapital: 1_000_000,
                               risk: RiskManager(rules: rules, symbolNames: ["NIFTY 50"]))
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        let orders = outcome.core.orders.map { "\($0.request.purpose.rawValue)@\(istLabel($0.request.time))" }
        #expect(orders == ["entry@2021-03-01 15:17", "square_off@2021-03-01 15:20", "entry@2021-03-02 09:15"])
        #expect(outcome.trades.count == 1 && outcome.trades[0].exitValue == 10 * 10_250)
        #expect(outcome.core.rejections.map(\.rejection.rule) == ["time_filters.square_off_time"])
        let events = outcome.core.riskEvents.map { "\($0.action.rawValue) \($0.rule) \(istLabel($0.time))" }
        #expect(events == [
            "approved sizing.method 2021-03-01 15:17",
            "squared_off time_filters.square_off_time 2021-03-01 15:20",
            "rejected time_filters.square_off_time 2021-03-01 15:21",
            "approved sizing.method 2021-03-02 09:15",
        ])
        #expect(outcome.core.riskEvents[0].quantity == 10 && outcome.core.riskEvents[0].strategy == 0)
        #expect(outcome.core.riskEventCount == 4)
        #expect(outcome.core.riskEvents(from: 2).map(\.action) == [.rejected, .approved])
        #expect(outcome.core.riskEvents(from: 4).isEmpty)
        #expect(outcome.core.riskEvents[1].message == "square-off at 15:20: intraday positions closed, no new entries today")
    }

    @Test func theDrawdownKillSwitchFlattensAndHaltsTheRun() {
        let series = istBars([
            ("2021-03-01", "10:00", 10_000, 10_000),  // 0: enter 10
            ("2021-03-01", "10:01", 10_000, 10_000),  // 1: filled
            ("2021-03-01", "10:02", 10_000, 9_500),   // 2: −₹50
            ("2021-03-01", "10:03", 9_500, 9_001),    // 3: −₹99.90: inside
            ("2021-03-01", "10:04", 9_001, 9_000),    // 4: −₹100 = 10% of ₹1,000: kill switch
            ("2021-03-01", "10:05", 9_000, 9_000),    // 5: flattened at 9_000; entry refused
            ("2021-03-01", "10:06", 9_000, 9_000),    // 6: refused again
            ("2021-03-02", "10:00", 9_000, 9_000),    // 7: still halted the next day
        ])
        let enter = Signal(symbol: 0, side: .buy, intent: .enter, quantity: 10)
        let strategy = ScriptedStrategy(script: [0: enter, 5: enter, 6: enter, 7: enter])
        var rules = RiskRules()
        rules.killSwitchDrawdown = RiskPercent(percent: 10)
        let core = TradingCore(strategies: [strategy], instruments: unit, startingCapital: 100_000,
                               risk: RiskManager(rules: rules, symbolNames: ["NIFTY 50"]))
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.trades.count == 1)
        #expect(outcome.trades[0].exitTime == ist("2021-03-01", "10:05") && outcome.trades[0].grossPnL == -10_000)
        #expect(outcome.core.orders.last?.request.purpose == .squareOff)
        #expect(outcome.core.entriesHaltedRule == "kill_switch.drawdown_pct")
        #expect(outcome.core.entriesHaltedReason == "kill switch: drawdown ₹100.00 (10.00% below the equity peak ₹1,000.00) reached 10% (₹100.00); flattening everything and halting")
        #expect(outcome.core.rejections.map(\.rejection.rule) == Array(repeating: "kill_switch.drawdown_pct", count: 3))
        let events = outcome.core.riskEvents.map { "\($0.action.rawValue) \(istLabel($0.time))" }
        // Repeated refusals by the same rule are recorded once a day.
        #expect(events == ["approved 2021-03-01 10:00", "kill_switch_set 2021-03-01 10:04", "rejected 2021-03-01 10:05",
                           "rejected 2021-03-02 10:00"])
        #expect(outcome.core.riskEvents[2].message == "BUY NIFTY 50 rejected: " + outcome.core.entriesHaltedReason!)
        #expect(outcome.core.riskEvents[0].message == "BUY 10 NIFTY 50 approved: 10 units (fixed_quantity)")
        #expect(outcome.core.riskEvents[1].severity == .critical)
        #expect(outcome.core.riskEvents[1].value == 10_000 && outcome.core.riskEvents[1].limit == 10_000)
    }

    @Test func workingEntriesCountAgainstMaxOpenPositionsAndGroups() {
        let instruments = [Instrument(symbol: "NIFTY 50"), Instrument(symbol: "BANKNIFTY")]
        let rows: [(String, String, Int64, Int64)] = [("2021-03-01", "10:00", 10_000, 10_000), ("2021-03-01", "10:01", 10_000, 10_000),
                                                     ("2021-03-01", "10:02", 10_000, 10_000), ("2021-03-01", "10:03", 10_000, 10_000)]
        let a = ScriptedStrategy(symbol: 0, name: "a", script: [0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 1),
                                                              2: Signal(symbol: 0, side: .sell, intent: .exit)])
        let b = ScriptedStrategy(symbol: 1, name: "b", script: [0: Signal(symbol: 1, side: .buy, intent: .enter, quantity: 1),
                                                              1: Signal(symbol: 1, side: .buy, intent: .enter, quantity: 1),
                                                              3: Signal(symbol: 1, side: .buy, intent: .enter, quantity: 1)])
        var rules = RiskRules()
        rules.groups = [RiskRules.Group(name: "index_futures", symbols: [0, 1], maxOpenPositions: 1)]
        var core = TradingCore(strategies: [a, b], instruments: instruments, startingCapital: 1_000_000,
                               risk: RiskManager(rules: rules, symbolNames: instruments.map(\.symbol)))
        var outcome = Backtester.run(core: core, series: [istBars(rows), istBars(rows)], broker: SimulatedBroker(tickSizes: [5, 5]))
        // Bar 0: a's entry is working when b asks; bar 1: a is open; bar 3: a has closed.
        #expect(outcome.core.rejections.map { "\($0.strategy) \($0.rejection.rule)" } == ["1 correlation.groups", "1 correlation.groups"])
        #expect(outcome.core.rejections[0].rejection.reason == "group 'index_futures' (NIFTY 50, BANKNIFTY) has 1 open positions, limit 1")
        #expect(outcome.core.orders.filter { $0.request.strategy == 1 }.count == 1)

        rules = RiskRules()
        rules.maxOpenPositions = 1
        core = TradingCore(strategies: [a, b], instruments: instruments, startingCapital: 1_000_000,
                           risk: RiskManager(rules: rules, symbolNames: instruments.map(\.symbol)))
        outcome = Backtester.run(core: core, series: [istBars(rows), istBars(rows)], broker: SimulatedBroker(tickSizes: [5, 5]))
        #expect(outcome.core.rejections.first?.rejection.reason == "1 open positions (1 awaiting fill), limit 1")
        #expect(outcome.core.rejections.map(\.rejection.rule) == ["risk.max_open_positions", "risk.max_open_positions"])
    }

    @Test func aRestartResumesTheDaysBreakersFromSavedState() throws {
        let enter = Signal(symbol: 0, side: .buy, intent: .enter, quantity: 1)
        var rules = RiskRules()
        rules.maxConsecutiveLosses = 2
        var first = TradingCore(strategies: [ScriptedStrategy(script: [:])], instruments: unit, startingCapital: 1_000_000,
                                risk: RiskManager(rules: rules))
        first.startDay(at: ist("2021-03-01", "09:15"))
        _ = first.risk.recordClosedTrade(netPnL: -5, time: ist("2021-03-01", "11:00"))
        _ = first.risk.recordClosedTrade(netPnL: -5, time: ist("2021-03-01", "11:05"))
        let saved = first.riskState
        #expect(saved.dayHalt?.rule == "circuit_breakers.max_consecutive_losses")

        // The engine restarts at 14:00 the same day and restores the saved state.
        var restarted = TradingCore(strategies: [ScriptedStrategy(script: [0: enter, 1: enter])], instruments: unit,
                                    startingCapital: 1_000_000, risk: RiskManager(rules: rules))
        restarted.restoreRiskState(saved)
        restarted.startDay(at: ist("2021-03-01", "14:00"))
        #expect(restarted.entryBlock(at: ist("2021-03-01", "14:00"))?.rule == "circuit_breakers.max_consecutive_losses")
        restarted.onBar(Bar(time: ist("2021-03-01", "14:00"), open: 100, high: 100, low: 100, close: 100), symbol: 0)
        #expect(restarted.rejections.map(\.rejection.rule) == ["circuit_breakers.max_consecutive_losses"])
        #expect(restarted.outbox.isEmpty)
        // The next day starts clean.
        restarted.startDay(at: ist("2021-03-02", "09:15"))
        restarted.onBar(Bar(time: ist("2021-03-02", "09:30"), open: 100, high: 100, low: 100, close: 100), symbol: 0)
        #expect(restarted.outbox.map { istLabel($0.time) } == ["2021-03-02 09:30"])
    }

    @Test func withoutADriverTheCoreRollsTheDayItself() {
        var rules = RiskRules()
        rules.dailyMaxLoss = RiskPercent(percent: 2)
        var core = TradingCore(strategies: [ScriptedStrategy(script: [:])], instruments: unit, startingCapital: 1_000_000,
                               risk: RiskManager(rules: rules))
        core.onBar(Bar(time: ist("2021-03-01", "09:15"), open: 100, high: 100, low: 100, close: 100), symbol: 0)
        #expect(core.riskState.day == RiskManager.istDay(ist("2021-03-01", "09:15")))
        #expect(core.dayStartEquity == 1_000_000 && core.risk.watch.floor == 1_000_000 - 20_000)
        core.onBar(Bar(time: ist("2021-03-02", "09:15"), open: 100, high: 100, low: 100, close: 100), symbol: 0)
        #expect(core.riskState.day == RiskManager.istDay(ist("2021-03-02", "09:15")))
        #expect(core.riskEvents.isEmpty)
    }
}

/// The risk state survives being stored, and events map to `risk_events` rows.
@Suite struct RiskPersistenceTests {
    @Test func riskStateRoundTripsThroughJSON() throws {
        var risk = riskManager {
            $0.sizing = .kelly(fraction: 0.25, lookback: 20, minimumTrades: 10); $0.perTradeRisk = RiskPercent(percent: 0.5)
            $0.maxConsecutiveLosses = 2; $0.rollingCorrelation = (windowDays: 5, maxCorrelation: 0.8)
            $0.killSwitchDrawdown = RiskPercent(percent: 10)
        }
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh, lastPrices: [1_500_000, 3_500_000])
        risk.recordFill()
        _ = risk.recordClosedTrade(netPnL: -100, time: ist("2021-03-01", "10:00"))
        _ = risk.recordClosedTrade(netPnL: -100, time: ist("2021-03-01", "10:05"))
        _ = risk.crossedThresholds(equity: 89_000_000, time: ist("2021-03-01", "11:00"))
        let data = try JSONEncoder().encode(risk.state)
        let decoded = try JSONDecoder().decode(RiskState.self, from: data)
        #expect(decoded == risk.state)
        #expect(decoded.halt?.rule == "kill_switch.drawdown_pct" && decoded.dayHalt?.rule == "circuit_breakers.max_consecutive_losses")
        #expect(decoded.tradingDays == 1 && decoded.recentTrades.count == 2 && decoded.tripped.contains(.killSwitchDrawdown))
        var restored = riskManager { $0.killSwitchDrawdown = RiskPercent(percent: 10) }
        restored.restore(decoded)
        #expect(restored.evaluate(buy(), context: riskContext()).rule == "kill_switch.drawdown_pct")
    }

    @Test func eventsBecomeRiskEventRows() {
        let event = RiskEvent(time: ist("2021-03-01", "10:04"), rule: "kill_switch.drawdown_pct", severity: .critical, action: .killSwitch,
                              strategy: 0, symbol: 1, value: 10_000, limit: 10_000, message: "kill switch")
        let row = event.record(mode: .paper, strategyName: "mean_reversion", symbolName: "BANKNIFTY")
        #expect(row.mode == .paper && row.rule == "kill_switch.drawdown_pct" && row.severity == .critical)
        #expect(row.action == "kill_switch_set" && row.strategy == "mean_reversion" && row.symbol == "BANKNIFTY")
        #expect(row.occurredAt == UTCTimestamp(secondsSinceEpoch: ist("2021-03-01", "10:04")) && row.message == "kill switch")
    }
}
