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

/// India VIX closes of 2021-02-15 → 2021-03-12 (NSE export rows, `M/D/YYYY`) from `Fixtures/risk/`.
func riskFixtureVIX() throws -> IndiaVIXSeries {
    guard let base = Bundle.module.resourceURL else { throw FixtureError("no resource bundle") }
    let text = try String(contentsOf: base.appendingPathComponent("Fixtures/risk/india_vix_2021-02-15_2021-03-12.csv"), encoding: .utf8)
    var closes: [(date: LocalDate, close: Double)] = []
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",")
        let mdy = f[0].split(separator: "/").compactMap { Int($0) }
        guard mdy.count == 3, let date = LocalDate(year: mdy[2], month: mdy[0], day: mdy[1]), let close = Double(f[4]) else {
            throw FixtureError("bad VIX row \(line)")
        }
        closes.append((date, close))
    }
    return IndiaVIXSeries(closes: closes)
}

/// The shipped presets, loaded by the config loader, behave as their YAML says.
@Suite struct RiskPresetTests {
    private func preset(_ name: String?) throws -> RiskConfig {
        try ConfigTestHome().load(environment: [:], riskPreset: name).risk
    }

    private func manager(_ name: String?, vix: IndiaVIXSeries? = nil) throws -> RiskManager {
        var risk = RiskManager(config: try preset(name), instruments: indexInstruments, indiaVIX: vix?.lookup)
        risk.begin(startingCapital: tenLakh)
        return risk
    }

    @Test func propChallengeSizesAndFiltersAsItsFileSays() throws {
        var risk = try manager("prop_challenge", vix: try riskFixtureVIX())
        #expect(risk.inactiveRules.isEmpty)
        let day = "2021-03-03"   // the prior VIX close (2021-03-02) is 23.605: inside 10–25
        risk.startDay(at: ist(day, "09:15"), equity: tenLakh)
        // 0.25% of ₹10,00,000 = ₹2,500; a ₹30 stop → 83 units → 1 lot of 65.
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist(day, "10:00"))) == .approved(quantity: 65))
        // A ₹12.50 stop sizes 195, more than 200% exposure allows (133 units): 2 lots.
        let big = risk.assess(buy(stop: 1_498_750), context: riskContext(time: ist(day, "10:00")))
        #expect(big.decision == .approved(quantity: 130) && big.sizing?.sized == 195)
        #expect(big.sizing?.reducedBy == "risk.max_exposure_per_symbol_pct")
        // No entries in the first 15 or the last 45 minutes; square-off 15:15.
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist(day, "09:29"))).rule == "time_filters.no_entry_first_minutes")
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist(day, "14:44"))) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist(day, "14:45"))).rule == "time_filters.no_entry_last_minutes")
        #expect(risk.state.squareOffAt == ist(day, "15:15"))
        // One position at a time, and NIFTY 50 / BANKNIFTY are one group.
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist(day, "10:00"), openPositions: 1)).rule == "risk.max_open_positions")
        // India VIX from the real series: 2021-03-01 follows the 28.14 close of 2021-02-26.
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        let vix = try #require(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist("2021-03-01", "10:00"))).rejection)
        #expect(vix.rule == "vix_filter" && vix.value == 28.1425 && vix.limit == 25)
    }

    @Test func propChallengeLimitsTripInOrderBelowTheFirms() throws {
        var risk = try manager("prop_challenge")
        let day = "2021-03-03"
        risk.startDay(at: ist(day, "09:15"), equity: tenLakh)
        // Half the 2% daily max loss (₹10,000) is the first floor; the firm's 8% target the ceiling.
        #expect(risk.watch.floor == tenLakh - 1_000_000 && risk.watch.ceiling == tenLakh + 8_000_000)
        var trips = risk.crossedThresholds(equity: tenLakh - 1_000_000, time: ist(day, "10:00"))
        #expect(trips.map(\.rule) == ["circuit_breakers.half_daily_limit_pause_minutes"])
        #expect(risk.state.pausedUntil == ist(day, "11:00"))   // 60 minutes
        trips = risk.crossedThresholds(equity: tenLakh - 2_000_000, time: ist(day, "11:30"))
        #expect(trips.map(\.rule) == ["risk.daily_max_loss_pct"] && trips[0].action == .haltedForDay && !trips[0].flatten)
        // A loss carried through the daily limit (a gap): the 4% drawdown halts the run, and the kill
        // switch at 4.5% of the day flattens everything just inside the firm's 5%.
        trips = risk.crossedThresholds(equity: tenLakh - 4_000_001, time: ist(day, "11:40"))
        #expect(trips.map(\.rule) == ["risk.max_drawdown_pct"] && !trips[0].flatten)
        #expect(risk.crossedThresholds(equity: tenLakh - 4_499_999, time: ist(day, "11:45")).isEmpty)
        trips = risk.crossedThresholds(equity: tenLakh - 4_500_000, time: ist(day, "12:00"))
        #expect(trips.map(\.rule) == ["kill_switch.daily_loss_pct"] && trips[0].flatten && trips[0].haltsRun)
        #expect(risk.state.propFirmStatus == .inProgress)
        #expect(risk.watch.floor == tenLakh - 5_000_000)   // only the firm's own limit stays watched

        // Trailing drawdown: 4% below a ₹10,50,000 peak halts entries; the kill switch flattens at 9%
        // even though entries are already halted.
        var dd = try manager("prop_challenge")
        dd.startDay(at: ist("2021-03-02", "09:15"), equity: tenLakh)
        dd.raisePeak(105_000_000)
        dd.startDay(at: ist(day, "09:15"), equity: 96_000_000)   // 8.6% below the peak: the day's loss stays small
        trips = dd.crossedThresholds(equity: 96_000_000, time: ist(day, "10:00"))
        #expect(trips.map(\.rule) == ["risk.max_drawdown_pct"] && !trips[0].flatten && trips[0].haltsRun)
        #expect(dd.state.halt?.rule == "risk.max_drawdown_pct")
        #expect(dd.crossedThresholds(equity: 105_000_000 - 9_449_999, time: ist(day, "10:05")).isEmpty)
        trips = dd.crossedThresholds(equity: 105_000_000 - 9_450_000, time: ist(day, "10:10"))
        #expect(trips.map(\.rule) == ["kill_switch.drawdown_pct"] && trips[0].flatten)
        #expect(dd.state.halt?.rule == "kill_switch.drawdown_pct")
        // Two losing trades in a row end the day's entries.
        var streak = try manager("prop_challenge")
        streak.startDay(at: ist(day, "09:15"), equity: tenLakh)
        _ = streak.recordClosedTrade(netPnL: -100, time: ist(day, "10:00"))
        let second = streak.recordClosedTrade(netPnL: -100, time: ist(day, "10:30"))
        #expect(second?.action == .haltedForDay)
    }

    @Test func fundedConservativeUsesAQuarterKellyAndStaticDrawdown() throws {
        let risk = try manager("funded_conservative")
        #expect(risk.rules.sizing == .kelly(fraction: 0.25, lookback: 100, minimumTrades: 10))
        #expect(risk.rules.perTradeRisk == RiskPercent(percent: 0.3))
        #expect(risk.rules.drawdownMode == .static && risk.rules.maxDrawdown == RiskPercent(percent: 5))
        #expect(risk.rules.rollingCorrelation?.windowDays == 60 && risk.rules.rollingCorrelation?.maxCorrelation == 0.8)
        #expect(risk.rules.squareOffMinute == 15 * 60 + 10 && risk.rules.noEntryFirstMinutes == 30 && risk.rules.noEntryLastMinutes == 60)
        #expect(risk.rules.vixBand == 11...22 && risk.rules.halfDailyLimitPauseSeconds == 90 * 60)
        #expect(risk.rules.maxConsecutiveLosses == 2 && risk.rules.consecutiveLossPauseSeconds == nil)
        #expect(risk.rules.propFirm?.profitTarget == nil && risk.watch.ceiling == .max)
        // No VIX series given: the filter says it cannot act.
        #expect(risk.inactiveRules.count == 1)
        // 0.3% = ₹3,000; a ₹30 stop → 100 units → 1 lot (Kelly needs 10 trades first).
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist("2021-03-03", "11:00"))) == .approved(quantity: 65))
        // Static drawdown: 5% below the ₹10,00,000 capital, whatever the peak.
        #expect(risk.evaluate(buy(stop: 1_497_000), context: riskContext(time: ist("2021-03-03", "11:00"), equity: 95_000_000, peak: 120_000_000)).rule
            == "risk.max_drawdown_pct")
    }

    @Test func devPresetIsOneLotWithoutFilters() throws {
        let risk = try manager("dev")
        #expect(risk.rules.sizing == .fixedQuantity(lots: 1) && risk.rules.vixBand == nil && risk.inactiveRules.isEmpty)
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-03", "09:15"))) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(1), context: riskContext(time: ist("2021-03-03", "15:19"), lastPrice: 3_500_000, lotSize: 30)) == .approved(quantity: 30))
        #expect(risk.rules.maxConsecutiveLosses == 10 && risk.rules.consecutiveLossPauseSeconds == 15 * 60)
    }

    @Test func referencePresetPassesTheStrategysOwnQuantityAnywhere() throws {
        var risk = try manager("reference")
        #expect(risk.inactiveRules.isEmpty)
        risk.startDay(at: ist("2021-03-03", "09:15"), equity: tenLakh)
        for time in ["09:15", "12:00", "15:29"] {
            #expect(risk.evaluate(buy(quantity: 1), context: riskContext(time: ist("2021-03-03", time))) == .approved(quantity: 1))
        }
        // A 99% loss in a day trips nothing.
        #expect(risk.crossedThresholds(equity: tenLakh / 100, time: ist("2021-03-03", "12:00")).isEmpty)
        #expect(risk.evaluate(buy(quantity: 1), context: riskContext(time: ist("2021-03-03", "12:01"), equity: tenLakh / 100, dayStart: tenLakh))
            == .approved(quantity: 1))
    }

    @Test func bollingerReferenceTradesTheSameWithTheReferencePresetAsWithNoRules() throws {
        let nifty = try riskFixtureSeries("NIFTY50_2021-02-25_2021-03-05.txt", symbol: "NIFTY 50")
        let values = try ParameterValues(strategy: "bollinger_reference", specs: BollingerReference.specs, given: [:])
        func run(_ risk: RiskManager) -> BacktestOutcome<BollingerReference> {
            let core = TradingCore(strategies: [BollingerReference(symbol: 0, parameters: values)], instruments: [niftyInstrument],
                                   startingCapital: tenLakh, risk: risk, product: .cnc)
            return Backtester.run(core: core, series: [nifty], broker: SimulatedBroker(tickSizes: [5]))
        }
        let plain = run(RiskManager())
        let reference = run(try manager("reference"))
        #expect(plain.trades.count == 50)
        #expect(reference.trades == plain.trades)
        #expect(reference.core.rejections.isEmpty)
    }

    @Test func flattenOnDailyMaxLossIsAnOptionalKey() throws {
        let home = try ConfigTestHome()
        try home.replace("risk_config.yaml", "flatten_on_daily_max_loss: false", with: "flatten_on_daily_max_loss: true")
        let config = try home.load(environment: [:]).risk
        #expect(config.risk.flattenOnDailyMaxLoss == true)
        var risk = RiskManager(config: config, instruments: indexInstruments)
        risk.begin(startingCapital: tenLakh)
        risk.startDay(at: ist("2021-03-03", "09:15"), equity: tenLakh)
        let trips = risk.crossedThresholds(equity: tenLakh - 2_000_000, time: ist("2021-03-03", "11:00"))
        #expect(trips.first { $0.rule == "risk.daily_max_loss_pct" }?.flatten == true)
        #expect(try preset("dev").risk.flattenOnDailyMaxLoss == nil)
    }
}
