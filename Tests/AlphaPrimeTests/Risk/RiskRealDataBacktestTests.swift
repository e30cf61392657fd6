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

/// Enters `quantity` in `side`'s direction whenever flat, from the first bar of `fromDay` (IST day
/// number) on; never exits by itself.
struct HoldWhenFlat: Strategy {
    var symbol: SymbolID = 0
    var name = "hold"
    var side: Side
    var quantity: Int64
    var fromDay: Int64

    mutating func onBar(_ bar: Bar, context: BarContext) -> Signal? {
        guard context.position == 0, istDayAndMinute(bar.time).day >= fromDay else { return nil }
        return Signal(symbol: symbol, side: side, intent: .enter, quantity: quantity, time: bar.time)
    }
}

/// Long round trips: enters when flat between 09:20 and 15:00 IST, exits after `hold` bars in the trade.
struct RoundTrips: Strategy {
    var symbol: SymbolID = 0
    var name = "round_trips"
    var quantity: Int64
    var hold: Int
    var held = 0

    mutating func onBar(_ bar: Bar, context: BarContext) -> Signal? {
        if context.position > 0 {
            held += 1
            return held >= hold ? Signal(symbol: symbol, side: .sell, intent: .exit, time: bar.time) : nil
        }
        held = 0
        let minute = istDayAndMinute(bar.time).minute
        guard minute >= 9 * 60 + 20, minute < 15 * 60 else { return nil }
        return Signal(symbol: symbol, side: .buy, intent: .enter, quantity: quantity, time: bar.time)
    }
}

/// Backtests over real NIFTY 50 and BANKNIFTY 1-minute bars (2021-02-25 → 2021-03-05) where the daily
/// loss limit, the drawdown kill switch and the consecutive-loss breaker each trip on the bar they
/// should. Each expectation is worked out here from the prices alone, with the fill rules written out
/// plainly (market orders fill at the next bar's open, no charges, no slippage).
@Suite struct RiskRealDataBacktestTests {
    let nifty: BarSeries
    let bankNifty: BarSeries

    init() throws {
        nifty = try riskFixtureSeries("NIFTY50_2021-02-25_2021-03-05.txt", symbol: "NIFTY 50")
        bankNifty = try riskFixtureSeries("BANKNIFTY_2021-02-25_2021-03-05.txt", symbol: "BANKNIFTY")
    }

    @Test func theSliceIsSevenFullSessions() {
        #expect(nifty.count == 7 * 375 && bankNifty.count == 7 * 375)
        #expect(istLabel(nifty.time[0]) == "2021-02-25 09:15" && istLabel(nifty.time[nifty.count - 1]) == "2021-03-05 15:29")
    }

    /// Equity, bar by bar, of a position of `signed` units entered at the open of bar 1 (the signal
    /// on bar 0), checked at the fill and at every close, as the trading core marks it.
    private func holdPath(_ series: BarSeries, signed: Int64, capital: Int64, entryBar: Int = 1,
                          check: (_ bar: Int, _ equity: Int64, _ newDay: Bool, _ dayStartEquity: Int64) -> Bool) {
        var cash = capital, quantity: Int64 = 0, last: Int64 = 0
        var day: Int64 = -1, dayStart = capital
        for k in 0..<series.count {
            let bar = series[k]
            let d = istDayAndMinute(bar.time).day
            let newDay = d != day
            if newDay { day = d; dayStart = cash + quantity * last }
            if k == entryBar {
                cash -= signed * bar.open
                quantity = signed
                if check(k, cash + quantity * last, false, dayStart) { return }   // marked at the last close until this bar closes
            }
            last = bar.close
            if check(k, cash + quantity * last, newDay, dayStart) { return }
        }
    }

    @Test func theDailyLossLimitTripsOnTheBarTheDaysLossReachesIt() {
        // Short 2 lots of NIFTY from the first bar and hold (NRML: no square-off); daily max loss 2%.
        var expected: [Int64] = []
        var trippedDay: Int64 = -1
        holdPath(nifty, signed: -130, capital: tenLakh) { k, equity, _, dayStart in
            let day = istDayAndMinute(nifty.time[k]).day
            if day != trippedDay && dayStart - equity >= dayStart * 2 / 100 {
                expected.append(nifty.time[k])
                trippedDay = day
            }
            return false
        }
        #expect(expected.map(istLabel) == ["2021-03-01 09:19", "2021-03-02 15:18", "2021-03-03 12:01"])

        var rules = RiskRules()
        rules.dailyMaxLoss = RiskPercent(percent: 2)
        let start = istDayAndMinute(nifty.time[0]).day
        let core = TradingCore(strategies: [HoldWhenFlat(side: .sell, quantity: 130, fromDay: start)], instruments: [niftyInstrument],
                               startingCapital: tenLakh, risk: RiskManager(rules: rules, symbolNames: ["NIFTY 50"]), product: .nrml)
        let outcome = Backtester.run(core: core, series: [nifty], broker: SimulatedBroker(tickSizes: [5]))
        let trips = outcome.core.riskEvents.filter { $0.rule == "risk.daily_max_loss_pct" }
        #expect(trips.map(\.time) == expected)
        #expect(trips.allSatisfy { $0.action == .haltedForDay && $0.value! >= $0.limit! })
        #expect(outcome.core.entriesHaltedReason == nil)   // a day's halt, not the run's
        #expect(outcome.core.orders.count == 1)            // the position is held, not flattened
    }

    @Test func theDrawdownKillSwitchTripsOnTheBarAndFlattens() throws {
        // Long 1 lot of BANKNIFTY from the first bar of 2021-03-01; kill switch at 2% below the peak.
        let monday = Int64(LocalDate("2021-03-01")!.daysSinceEpoch)
        let entrySignal = try #require((0..<bankNifty.count).first { istDayAndMinute(bankNifty.time[$0]).day >= monday })
        var peak = tenLakh
        var tripBar = -1
        holdPath(bankNifty, signed: 30, capital: tenLakh, entryBar: entrySignal + 1) { k, equity, _, _ in
            if equity > peak { peak = equity }
            if peak - equity >= peak * 2 / 100 { tripBar = k; return true }
            return false
        }
        #expect(tripBar > 0)
        #expect(istLabel(bankNifty.time[tripBar]) == "2021-03-02 13:32")

        var rules = RiskRules()
        rules.killSwitchDrawdown = RiskPercent(percent: 2)
        rules.drawdownMode = .trailing
        let core = TradingCore(strategies: [HoldWhenFlat(symbol: 0, side: .buy, quantity: 30, fromDay: monday)],
                               instruments: [bankNiftyInstrument], startingCapital: tenLakh,
                               risk: RiskManager(rules: rules, symbolNames: ["BANKNIFTY"]), product: .nrml)
        let outcome = Backtester.run(core: core, series: [bankNifty], broker: SimulatedBroker(tickSizes: [5]))
        let kills = outcome.core.riskEvents.filter { $0.action == .killSwitch }
        #expect(kills.map(\.time) == [bankNifty.time[tripBar]])
        #expect(kills.first?.rule == "kill_switch.drawdown_pct")
        // Flattened at the next bar's open; nothing traded after.
        #expect(outcome.trades.count == 1)
        #expect(outcome.trades[0].exitTime == bankNifty.time[tripBar + 1])
        #expect(outcome.trades[0].exitValue == 30 * bankNifty.open[tripBar + 1])
        #expect(outcome.core.orders.map(\.request.purpose) == [.entry, .squareOff])
        #expect(outcome.core.entriesHaltedRule == "kill_switch.drawdown_pct")
        // The strategy asks again on every later bar; every ask is refused by the kill switch.
        #expect(outcome.core.rejections.count == bankNifty.count - tripBar - 1)
        #expect(outcome.core.rejections.allSatisfy { $0.rejection.rule == "kill_switch.drawdown_pct" })
    }

    @Test func theConsecutiveLossBreakerTripsOnTheFillThatCompletesTheStreak() {
        // Round trips of 1 lot held 5 bars; 4 losing trades in a row stop entries for the rest of the day.
        var expectedTrips: [Int64] = []
        var expectedPnL: [Int64] = []
        var day: Int64 = -1, streak = 0, halted = false
        var position: Int64 = 0, entry: Int64 = 0, held = 0
        var entryPending = false, exitPending = false
        for k in 0..<nifty.count {
            let bar = nifty[k]
            let (d, minute) = istDayAndMinute(bar.time)
            if d != day { day = d; streak = 0; halted = false }
            if entryPending {
                entry = bar.open; position = 65; entryPending = false
            } else if exitPending {
                let pnl = (bar.open - entry) * 65
                expectedPnL.append(pnl)
                position = 0; exitPending = false
                streak = pnl < 0 ? streak + 1 : 0
                if streak >= 4 { expectedTrips.append(bar.time); halted = true; streak = 0 }
            }
            if position > 0 {
                held += 1
                if held >= 5 { exitPending = true }
            } else {
                held = 0
                if !halted && minute >= 9 * 60 + 20 && minute < 15 * 60 { entryPending = true }
            }
        }
        #expect(expectedTrips.map(istLabel) == ["2021-02-25 11:44", "2021-02-26 12:44", "2021-03-04 09:50", "2021-03-05 10:26"])

        var rules = RiskRules()
        rules.maxConsecutiveLosses = 4
        let core = TradingCore(strategies: [RoundTrips(quantity: 65, hold: 5)], instruments: [niftyInstrument],
                               startingCapital: tenLakh, risk: RiskManager(rules: rules, symbolNames: ["NIFTY 50"]))
        let outcome = Backtester.run(core: core, series: [nifty], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.trades.map(\.netPnL) == expectedPnL)
        let trips = outcome.core.riskEvents.filter { $0.rule == "circuit_breakers.max_consecutive_losses" && $0.action == .haltedForDay }
        #expect(trips.map(\.time) == expectedTrips)
        // After each trip, no entry that day; the next trading day trades again.
        for trip in expectedTrips {
            let tripDay = istDayAndMinute(trip).day
            let laterEntries = outcome.core.orders.filter {
                $0.request.purpose == .entry && $0.request.time >= trip && istDayAndMinute($0.request.time).day == tripDay
            }
            #expect(laterEntries.isEmpty, "an entry after the breaker tripped at \(istLabel(trip))")
            #expect(outcome.core.rejections.contains {
                $0.rejection.rule == "circuit_breakers.max_consecutive_losses" && istDayAndMinute($0.signal.time).day == tripDay
            })
        }
        let tradedDays = Set(outcome.core.orders.map { istDayAndMinute($0.request.time).day })
        #expect(tradedDays.count == 7)
    }
}
