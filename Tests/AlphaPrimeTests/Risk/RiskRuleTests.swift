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

/// Each rule refuses a signal with its name and numbers, and lets one just inside the limit through.
@Suite struct RiskRuleTests {
    // MARK: Sizing

    @Test func percentagesAreExactPartsPerMillion() {
        #expect(RiskPercent(percent: 0.3).ppm == 3_000)
        #expect(RiskPercent(percent: 0.25).ppm == 2_500)
        #expect(RiskPercent(percent: 2).of(100_000_000) == 2_000_000)
        #expect(RiskPercent(percent: 0.3).of(100_000_001) == 300_000)   // floor(300_000.003)
        #expect(RiskPercent(percent: 0.3).of(333) == 0)
        // No overflow for any Int64 base.
        let big = Int64.max
        #expect(RiskPercent(percent: 0.3).of(big) == big / 1_000_000 * 3_000 + (big % 1_000_000) * 3_000 / 1_000_000)
    }

    @Test func fixedFractionalSizesRiskOverStopRoundedDownToLots() throws {
        let risk = riskManager { $0.sizing = .fixedFractional; $0.perTradeRisk = RiskPercent(percent: 0.25) }
        // Budget 0.25% of ₹10,00,000 = ₹2,500; stop ₹12.50 away → 200 units → 3 lots of 65 = 195.
        let a = risk.assess(buy(stop: 1_498_750), context: riskContext())
        #expect(a.decision == .approved(quantity: 195))
        let sizing = try #require(a.sizing)
        #expect(sizing.riskBudget == 250_000 && sizing.stopDistance == 1_250 && sizing.riskAtStop == 243_750)
        #expect(sizing.method == .fixedFractional && sizing.reducedBy == nil)
        // A short measures the stop above the entry.
        #expect(risk.evaluate(sell(stop: 1_501_250), context: riskContext()) == .approved(quantity: 195))
        // A limit entry measures from its limit price.
        var limit = buy(stop: 1_488_750)
        limit.orderType = .limit
        limit.limitPrice = 1_490_000
        #expect(risk.evaluate(limit, context: riskContext()) == .approved(quantity: 195))
        // The strategy's own quantity is an upper bound, in whole lots.
        #expect(risk.evaluate(buy(stop: 1_498_750, quantity: 100), context: riskContext()) == .approved(quantity: 65))
        // Smaller lots round down the same way: BANKNIFTY lot 30, stop ₹40 away → 62 units → 60.
        #expect(risk.evaluate(buy(1, stop: 3_496_000), context: riskContext(lastPrice: 3_500_000, lotSize: 30)) == .approved(quantity: 60))
    }

    @Test func perTradeRiskRejectsWhenOneLotRisksMoreThanTheBudget() throws {
        let risk = riskManager { $0.sizing = .fixedFractional; $0.perTradeRisk = RiskPercent(percent: 0.25) }
        // One lot at a stop ₹40 away risks ₹2,600 > ₹2,500.
        let rejected = try #require(risk.evaluate(buy(stop: 1_496_000), context: riskContext()).rejection)
        #expect(rejected.rule == "risk.per_trade_risk_pct")
        #expect(rejected.value == 260_000 && rejected.limit == 250_000)
        #expect(rejected.reason == "one lot of 65 at a stop ₹40.00 away risks ₹2,600.00, more than the budget ₹2,500.00 (0.25% of equity ₹10,00,000.00)")
        // ₹38.46 away: one lot risks ₹2,499.90, inside.
        #expect(risk.evaluate(buy(stop: 1_500_000 - 3_846), context: riskContext()) == .approved(quantity: 65))
        // Without a stop, or with a stop on the wrong side, there is nothing to size from.
        #expect(risk.evaluate(buy(), context: riskContext()).rejection?.reason
            == "the signal has no stop loss; fixed_fractional sizing needs the stop distance")
        #expect(risk.evaluate(buy(stop: 1_501_000), context: riskContext()).rule == "risk.per_trade_risk_pct")
    }

    @Test func fixedQuantityUsesTheStrategysQuantityOrTheConfiguredLots() throws {
        var risk = riskManager { $0.sizing = .fixedQuantity(lots: 2) }
        #expect(risk.evaluate(buy(), context: riskContext()) == .approved(quantity: 130))
        #expect(risk.evaluate(buy(quantity: 7), context: riskContext()) == .approved(quantity: 7))
        // With a per-trade risk and a stop, a fixed size that risks too much is refused, not shrunk.
        risk.rules.perTradeRisk = RiskPercent(percent: 0.5)   // ₹5,000
        #expect(risk.evaluate(buy(stop: 1_500_000 - 3_846), context: riskContext()) == .approved(quantity: 130))  // ₹4,999.80
        let rejected = try #require(risk.evaluate(buy(stop: 1_500_000 - 3_847), context: riskContext()).rejection)
        #expect(rejected.rule == "risk.per_trade_risk_pct")
        #expect(rejected.value == 130 * 3_847 && rejected.limit == 500_000)
    }

    @Test func kellyBoundsTheRiskOnceTheRecentTradesSayEnough() throws {
        var risk = riskManager { $0.sizing = .kelly(fraction: 0.25, lookback: 20, minimumTrades: 10); $0.perTradeRisk = RiskPercent(percent: 0.5) }
        risk.begin(startingCapital: tenLakh)
        // Fewer than 10 trades: plain fixed fractional, ₹5,000 at ₹10 → 500 → 455 (7 lots).
        #expect(risk.evaluate(buy(stop: 1_499_000), context: riskContext()) == .approved(quantity: 455))
        // 5 wins of ₹5.10 and 5 losses of ₹5.00: W = 0.5, R = 1.02, Kelly = 0.5 − 0.5/1.02 = 0.98%;
        // a quarter of it is 0.245% (2450 ppm) → budget ₹2,450 → 245 units → 195.
        for k in 0..<10 { _ = risk.recordClosedTrade(netPnL: k % 2 == 0 ? 510 : -500, time: 0) }
        let a = risk.assess(buy(stop: 1_499_000), context: riskContext())
        #expect(a.decision == .approved(quantity: 195))
        #expect(a.sizing?.riskBudget == 245_000 && a.sizing?.riskPercent == RiskPercent(ppm: 2_450))
        let kelly = try #require(a.sizing?.kelly)
        #expect(abs(kelly - (0.5 - 0.5 / 1.02)) < 1e-12)
        // One lot at ₹40 needs ₹2,600 > ₹2,450: the Kelly bound is the rule that refuses.
        #expect(risk.evaluate(buy(stop: 1_496_000), context: riskContext()).rule == "sizing.kelly_fraction")

        // No edge: 4 wins, 6 losses of the same size → Kelly −20%: no entry at all.
        var losing = riskManager { $0.sizing = .kelly(fraction: 0.25, lookback: 10, minimumTrades: 10); $0.perTradeRisk = RiskPercent(percent: 0.5) }
        losing.begin(startingCapital: tenLakh)
        for k in 0..<10 { _ = losing.recordClosedTrade(netPnL: k < 4 ? 500 : -500, time: 0) }
        let rejected = try #require(losing.evaluate(buy(stop: 1_499_000), context: riskContext()).rejection)
        #expect(rejected.rule == "sizing.kelly_fraction")
        #expect(rejected.reason == "no edge over the last 10 trades: win rate 40%, payoff 1, full Kelly -20%")
    }

    @Test func theKellyWindowKeepsOnlyTheLastTrades() {
        var window = TradeOutcomeWindow(capacity: 3)
        for pnl: Int64 in [-100, 300, -50, 200] { window.append(pnl) }   // -100 falls out
        #expect(window.count == 3 && window.wins == 2 && window.losses == 1)
        #expect(window.winTotal == 500 && window.lossTotal == 50)
        #expect(window.winRate == 2.0 / 3.0)
        #expect(window.payoffRatio == 250.0 / 50.0)
    }

    // MARK: Account limits

    @Test func dailyMaxLossFromTheDaysStartingEquity() throws {
        let risk = riskManager { $0.dailyMaxLoss = RiskPercent(percent: 2) }
        // 2% of ₹10,00,000 = ₹20,000.
        #expect(risk.evaluate(buy(), context: riskContext(equity: 98_000_001, dayStart: tenLakh)) == .approved(quantity: 65))
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(equity: 98_000_000, dayStart: tenLakh)).rejection)
        #expect(rejected.rule == "risk.daily_max_loss_pct")
        #expect(rejected.value == 2_000_000 && rejected.limit == 2_000_000)
        #expect(rejected.reason == "the day's loss ₹20,000.00 (2.00% of ₹10,00,000.00 at the day's start) reached the daily max loss of 2% (₹20,000.00)")
        // The base is the day's start, not the starting capital: from ₹12,00,000 the limit is ₹24,000.
        #expect(risk.evaluate(buy(), context: riskContext(equity: 117_600_001, dayStart: 120_000_000)) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(), context: riskContext(equity: 117_600_000, dayStart: 120_000_000)).rule == "risk.daily_max_loss_pct")
    }

    @Test func maxDrawdownTrailingFromThePeakOrStaticFromTheCapital() throws {
        var risk = riskManager { $0.maxDrawdown = RiskPercent(percent: 4); $0.drawdownMode = .trailing }
        // Peak ₹11,00,000: 4% = ₹44,000.
        #expect(risk.evaluate(buy(), context: riskContext(equity: 105_600_001, peak: 110_000_000)) == .approved(quantity: 65))
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(equity: 105_600_000, peak: 110_000_000)).rejection)
        #expect(rejected.rule == "risk.max_drawdown_pct")
        #expect(rejected.value == 4_400_000 && rejected.limit == 4_400_000)
        #expect(rejected.reason.hasPrefix("drawdown ₹44,000.00 (4.00% below the equity peak ₹11,00,000.00) reached the max drawdown of 4%"))
        // Static: measured from the ₹10,00,000 capital, whatever the peak.
        risk.rules.drawdownMode = .static
        #expect(risk.evaluate(buy(), context: riskContext(equity: 105_600_000, peak: 110_000_000)) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(), context: riskContext(equity: 96_000_001, peak: 110_000_000)) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(), context: riskContext(equity: 96_000_000, peak: 110_000_000)).rule == "risk.max_drawdown_pct")
    }

    @Test func killSwitchThresholdsRefuseEntriesToo() throws {
        let risk = riskManager { $0.killSwitchDailyLoss = RiskPercent(percent: 3); $0.killSwitchDrawdown = RiskPercent(percent: 10) }
        #expect(risk.evaluate(buy(), context: riskContext(equity: 97_000_001, dayStart: tenLakh)) == .approved(quantity: 65))
        let daily = try #require(risk.evaluate(buy(), context: riskContext(equity: 97_000_000, dayStart: tenLakh)).rejection)
        #expect(daily.rule == "kill_switch.daily_loss_pct" && daily.value == 3_000_000 && daily.limit == 3_000_000)
        #expect(risk.evaluate(buy(), context: riskContext(equity: 99_000_001, dayStart: 99_000_001, peak: 110_000_000)) == .approved(quantity: 65))
        let drawdown = try #require(risk.evaluate(buy(), context: riskContext(equity: 99_000_000, dayStart: 99_000_000, peak: 110_000_000)).rejection)
        #expect(drawdown.rule == "kill_switch.drawdown_pct" && drawdown.value == 11_000_000 && drawdown.limit == 11_000_000)
    }

    // MARK: Positions and exposure

    @Test func maxOpenPositionsCountsWorkingEntriesAndNeverBlocksAdding() throws {
        let risk = riskManager { $0.maxOpenPositions = 2 }
        #expect(risk.evaluate(buy(), context: riskContext(openPositions: 1)) == .approved(quantity: 65))
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(openPositions: 1, pending: 1)).rejection)
        #expect(rejected.rule == "risk.max_open_positions")
        #expect(rejected.reason == "2 open positions (1 awaiting fill), limit 2")
        #expect(rejected.value == 2 && rejected.limit == 2)
        // Adding to the strategy's own position opens nothing new.
        #expect(risk.evaluate(buy(), context: riskContext(openPositions: 2, position: 65)) == .approved(quantity: 65))
    }

    @Test func exposurePerSymbolShrinksTheSizeToWhatFitsOrRefuses() throws {
        let risk = riskManager { $0.sizing = .fixedQuantity(lots: 3); $0.maxExposurePerSymbol = RiskPercent(percent: 250) }
        // Cap ₹25,00,000 at ₹15,000 → 166 units: 2 lots inside, 3 lots shrunk to 2.
        #expect(risk.evaluate(buy(quantity: 130), context: riskContext()) == .approved(quantity: 130))
        let reduced = risk.assess(buy(), context: riskContext())
        #expect(reduced.decision == .approved(quantity: 130))
        #expect(reduced.sizing?.sized == 195 && reduced.sizing?.reducedBy == "risk.max_exposure_per_symbol_pct")
        // Already long 130: 36 more units would fit, less than a lot.
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(position: 130)).rejection)
        #expect(rejected.rule == "risk.max_exposure_per_symbol_pct")
        #expect(rejected.value == Double(325 * 1_500_000) && rejected.limit == 250_000_000)
        #expect(rejected.reason == "NIFTY 50 notional would be ₹48,75,000.00 (487.50% of equity), above 250% (₹25,00,000.00); not one lot of 65 fits")
        // A short against a long reduces exposure first: −130 + … fits 166 + 130 = 296 units → 4 lots of 65.
        #expect(risk.evaluate(sell(quantity: 325), context: riskContext(position: 0, netPosition: 130)) == .approved(quantity: 260))
        // An order that shrinks a position already over the cap is never capped.
        #expect(risk.evaluate(sell(quantity: 65), context: riskContext(position: 0, netPosition: 400)) == .approved(quantity: 65))
    }

    @Test func totalExposureCountsEverySymbol() throws {
        let risk = riskManager { $0.sizing = .fixedQuantity(lots: 3); $0.maxTotalExposure = RiskPercent(percent: 300) }
        // BANKNIFTY 30 × ₹35,000 = ₹10,50,000 open; cap ₹30,00,000 leaves ₹19,50,000 → 130 NIFTY units.
        let context = riskContext(netPositions: [0, 30])
        let a = risk.assess(buy(), context: context)
        #expect(a.decision == .approved(quantity: 130) && a.sizing?.reducedBy == "risk.max_total_exposure_pct")
        let full = riskContext(netPositions: [0, 80])   // ₹28,00,000 open
        let rejected = try #require(risk.evaluate(buy(), context: full).rejection)
        #expect(rejected.rule == "risk.max_total_exposure_pct")
        #expect(rejected.limit == 300_000_000)
    }

    @Test func correlationGroupsCapPositionsAcrossTheirSymbols() throws {
        let risk = riskManager { $0.groups = [RiskRules.Group(name: "index_futures", symbols: [0, 1], maxOpenPositions: 1)] }
        #expect(risk.evaluate(buy(0), context: riskContext(positionsBySymbol: [0, 0])) == .approved(quantity: 65))
        let rejected = try #require(risk.evaluate(buy(0), context: riskContext(positionsBySymbol: [0, 1])).rejection)
        #expect(rejected.rule == "correlation.groups")
        #expect(rejected.reason == "group 'index_futures' (NIFTY 50, BANKNIFTY) has 1 open positions, limit 1")
        // A working entry in the group counts as a position.
        #expect(risk.evaluate(buy(1), context: riskContext(lastPrice: 3_500_000, lotSize: 30, positionsBySymbol: [1, 0])).rule == "correlation.groups")
    }

    @Test func measuredCorrelationTreatsCloselyMovingSymbolsAsOne() throws {
        var risk = riskManager { $0.rollingCorrelation = (windowDays: 5, maxCorrelation: 0.8) }
        risk.begin(startingCapital: tenLakh)
        // Six closes, five daily returns; BANKNIFTY moves as NIFTY does (correlation 1).
        let nifty: [Int64] = [1_500_000, 1_510_000, 1_490_000, 1_520_000, 1_515_000, 1_530_000]
        for (k, n) in nifty.enumerated() {
            risk.beginDay(equity: tenLakh, lastPrices: [n, n * 7 / 3 + Int64(k)])
        }
        let r = try #require(risk.state.dailyCloses.correlation(0, 1))
        #expect(r > 0.99)
        let rejected = try #require(risk.evaluate(buy(0), context: riskContext(positionsBySymbol: [0, 1])).rejection)
        #expect(rejected.rule == "correlation.rolling")
        #expect(rejected.reason.hasPrefix("NIFTY 50 and BANKNIFTY correlated 1 over 5 days (max 0.8)"))
        #expect(risk.evaluate(buy(0), context: riskContext(positionsBySymbol: [0, 0])) == .approved(quantity: 65))

        // Opposite moves: correlation -1, no cap.
        var opposite = riskManager { $0.rollingCorrelation = (windowDays: 5, maxCorrelation: 0.8) }
        for n in nifty { opposite.beginDay(equity: tenLakh, lastPrices: [n, 6_000_000 - n * 2]) }
        #expect(try #require(opposite.state.dailyCloses.correlation(0, 1)) < -0.99)
        #expect(opposite.evaluate(buy(0), context: riskContext(positionsBySymbol: [0, 1])) == .approved(quantity: 65))
        // Until the window is full the rule has nothing to measure.
        var young = riskManager { $0.rollingCorrelation = (windowDays: 5, maxCorrelation: 0.8) }
        for n in nifty.prefix(5) { young.beginDay(equity: tenLakh, lastPrices: [n, n * 2]) }
        #expect(young.state.dailyCloses.correlation(0, 1) == nil)
    }

    // MARK: Circuit breakers

    @Test func consecutiveLossesStopEntriesForTheRestOfTheDay() throws {
        var risk = riskManager { $0.maxConsecutiveLosses = 3 }
        let now = ist("2021-03-01", "11:00")
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        var trips: [RiskTrip?] = []
        for pnl: Int64 in [-100, -100, 0, -100, -100] {   // breakeven ends the streak
            trips.append(risk.recordClosedTrade(netPnL: pnl, time: now))
        }
        #expect(trips.allSatisfy { $0 == nil })
        #expect(risk.evaluate(buy(), context: riskContext(time: now)) == .approved(quantity: 65))   // 2 in a row: inside
        let third = risk.recordClosedTrade(netPnL: -2_550, time: now)
        let trip = try #require(third)
        #expect(trip.rule == "circuit_breakers.max_consecutive_losses" && trip.action == .haltedForDay && !trip.flatten)
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "14:00"))).rejection)
        #expect(rejected.rule == "circuit_breakers.max_consecutive_losses")
        #expect(rejected.reason == "3 losing trades in a row (the last -₹25.50); no new entries for the rest of the day")
        #expect(rejected.value == 3 && rejected.limit == 3)
        // Exits are never blocked.
        let exit = Signal(symbol: 0, side: .sell, intent: .exit)
        #expect(risk.evaluate(exit, context: riskContext(time: now, position: 65)) == .approved(quantity: 65))
        // The next day starts clean.
        risk.startDay(at: ist("2021-03-02", "09:15"), equity: tenLakh)
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-02", "10:00"))) == .approved(quantity: 65))
    }

    @Test func consecutiveLossesPauseForTheConfiguredMinutes() throws {
        var risk = riskManager { $0.maxConsecutiveLosses = 2; $0.consecutiveLossPauseSeconds = 60 * 60 }
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        let now = ist("2021-03-01", "11:00")
        _ = risk.recordClosedTrade(netPnL: -1, time: now)
        let second = risk.recordClosedTrade(netPnL: -1, time: now)
        let trip = try #require(second)
        #expect(trip.action == .paused && trip.message == "2 losing trades in a row (the last -₹0.01); entries paused until 12:00")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "11:59"))).rule == "circuit_breakers.max_consecutive_losses")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "12:00"))) == .approved(quantity: 65))
    }

    @Test func losingHalfTheDailyLimitPausesEntries() throws {
        var risk = riskManager { $0.dailyMaxLoss = RiskPercent(percent: 2); $0.halfDailyLimitPauseSeconds = 30 * 60 }
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        // Half of ₹20,000 is ₹10,000: the watch floor sits there.
        #expect(risk.watch.floor == tenLakh - 1_000_000)
        let now = ist("2021-03-01", "10:00")
        #expect(risk.crossedThresholds(equity: tenLakh - 999_999, time: now).isEmpty)
        let trips = risk.crossedThresholds(equity: tenLakh - 1_000_000, time: now)
        #expect(trips.map(\.rule) == ["circuit_breakers.half_daily_limit_pause_minutes"])
        #expect(trips.first?.action == .paused && trips.first?.value == 1_000_000 && trips.first?.limit == 1_000_000)
        let context = riskContext(time: ist("2021-03-01", "10:29"), equity: tenLakh - 1_000_000, dayStart: tenLakh)
        #expect(risk.evaluate(buy(), context: context).rule == "circuit_breakers.half_daily_limit_pause_minutes")
        var later = context
        later.time = ist("2021-03-01", "10:30")
        #expect(risk.evaluate(buy(), context: later) == .approved(quantity: 65))
        // Disarmed for the day: the floor moves down to the full daily limit.
        #expect(risk.watch.floor == tenLakh - 2_000_000)
    }

    // MARK: Time filters

    @Test func noEntriesInTheFirstAndLastMinutes() throws {
        let risk = riskManager { $0.noEntryFirstMinutes = 15; $0.noEntryLastMinutes = 30 }
        let early = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "09:29"), minutesSinceOpen: 14, minutesToClose: 361)).rejection)
        #expect(early.rule == "time_filters.no_entry_first_minutes")
        #expect(early.reason == "09:29 is 14 minutes after the open; no entries in the first 15")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "09:30"), minutesSinceOpen: 15, minutesToClose: 360)) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "14:59"), minutesSinceOpen: 344, minutesToClose: 31)) == .approved(quantity: 65))
        let late = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "15:00"), minutesSinceOpen: 345, minutesToClose: 30)).rejection)
        #expect(late.rule == "time_filters.no_entry_last_minutes")
        #expect(late.reason == "15:00 is 30 minutes before the close; no entries in the last 30")
        // Without the calendar's session position, the normal session 09:15–15:30 is assumed.
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "09:29"))).rule == "time_filters.no_entry_first_minutes")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "09:30"))) == .approved(quantity: 65))
    }

    @Test func blackoutWindowsAreHalfOpen() throws {
        let risk = riskManager { $0.blackouts = [RiskRules.Blackout(start: 14 * 60, end: 14 * 60 + 30, reason: "RBI policy")] }
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "13:59"))) == .approved(quantity: 65))
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "14:00"))).rejection)
        #expect(rejected.rule == "time_filters.blackout_windows")
        #expect(rejected.reason == "14:00 is inside the blackout 14:00–14:30 (RBI policy)")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "14:29"))).rule == "time_filters.blackout_windows")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "14:30"))) == .approved(quantity: 65))
    }

    @Test func noIntradayEntriesAtOrAfterTheSquareOff() throws {
        let risk = riskManager { $0.squareOffMinute = 15 * 60 + 20 }
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "15:19"))) == .approved(quantity: 65))
        let rejected = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "15:20"))).rejection)
        #expect(rejected.rule == "time_filters.square_off_time")
        #expect(rejected.reason == "15:20 is at or after the square-off time 15:20; no new intraday entries today")
        // Delivery and carry-forward products are not squared off.
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "15:20"), product: .nrml)) == .approved(quantity: 65))
    }

    @Test func squareOffMovesWithASessionThatOpensAfterIt() {
        var risk = riskManager { $0.squareOffMinute = 15 * 60 + 20 }
        // Muhurat 2021-11-04: 18:15–19:15 IST. 15:20 is 10 minutes before the normal close: 19:05.
        let open = ist("2021-11-04", "18:15"), close = ist("2021-11-04", "19:15")
        risk.setDayClock(time: open, session: (open, close))
        #expect(risk.state.squareOffAt == ist("2021-11-04", "19:05"))
        #expect(risk.watch.nextTime == ist("2021-11-04", "19:05"))
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-11-04", "18:30"))) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-11-04", "19:05"))).rule == "time_filters.square_off_time")
        // An ordinary day keeps 15:20.
        risk.setDayClock(time: ist("2021-03-01", "09:15"), session: (ist("2021-03-01", "09:15"), ist("2021-03-01", "15:30")))
        #expect(risk.state.squareOffAt == ist("2021-03-01", "15:20"))
    }

    // MARK: India VIX

    @Test func vixFilterKeepsEntriesInsideTheBand() throws {
        let vix: [LocalDate: Double] = [LocalDate("2021-03-01")!: 25, LocalDate("2021-03-02")!: 25.01, LocalDate("2021-03-03")!: 9.99,
                                        LocalDate("2021-03-04")!: 10]
        let risk = riskManager(vix: vix) { $0.vixBand = 10...25 }
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-01", "10:00"))) == .approved(quantity: 65))
        let high = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-02", "10:00"))).rejection)
        #expect(high.rule == "vix_filter" && high.reason == "India VIX 25.01 is above the maximum 25" && high.value == 25.01 && high.limit == 25)
        let low = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-03", "10:00"))).rejection)
        #expect(low.reason == "India VIX 9.99 is below the minimum 10")
        #expect(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-04", "10:00"))) == .approved(quantity: 65))
        let missing = try #require(risk.evaluate(buy(), context: riskContext(time: ist("2021-03-05", "10:00"))).rejection)
        #expect(missing.reason == "no India VIX value for 2021-03-05; the filter (10–25) cannot pass the entry")
        // Without a series the filter cannot act, and says so.
        let blind = riskManager { $0.vixBand = 10...25 }
        #expect(blind.inactiveRules.count == 1 && blind.inactiveRules[0].hasPrefix("vix_filter"))
        #expect(blind.evaluate(buy(), context: riskContext()) == .approved(quantity: 65))
    }

    /// A live feed's value: it makes the filter act without a stored series, for its day only, and
    /// replaces what a stored series said for that day.
    @Test func theFeedsVIXMakesTheFilterActForItsDay() throws {
        var blind = riskManager { $0.vixBand = 10...25 }
        blind.setIndiaVIX(25.47, at: ist("2021-02-23", "09:15"))
        #expect(blind.inactiveRules.isEmpty)
        let refused = try #require(blind.evaluate(buy(), context: riskContext(time: ist("2021-02-23", "10:00"))).rejection)
        #expect(refused.rule == "vix_filter" && refused.value == 25.47)
        // Another day has no value from the feed and no series: refused as missing.
        #expect(blind.evaluate(buy(), context: riskContext(time: ist("2021-02-24", "10:00"))).rejection?.rule == "vix_filter")
        var stored = riskManager(vix: [LocalDate("2021-02-23")!: 30]) { $0.vixBand = 10...25 }
        stored.setIndiaVIX(20, at: ist("2021-02-23", "09:15"))
        stored.setDayClock(time: ist("2021-02-23", "09:15"))
        #expect(stored.evaluate(buy(), context: riskContext(time: ist("2021-02-23", "10:00"))) == .approved(quantity: 65))
        // The filter off: the feed's value changes nothing.
        var off = riskManager()
        off.setIndiaVIX(40, at: ist("2021-02-23", "09:15"))
        #expect(off.evaluate(buy(), context: riskContext(time: ist("2021-02-23", "10:00"))) == .approved(quantity: 65))
    }

    @Test func theVIXSeriesGivesThePriorCloseWithoutLookAhead() {
        let series = IndiaVIXSeries(closes: [(LocalDate("2021-02-26")!, 28.1425), (LocalDate("2021-03-01")!, 25.625),
                                             (LocalDate("2021-03-02")!, 23.605)])
        #expect(series.priorClose(before: LocalDate("2021-02-26")!) == nil)
        #expect(series.priorClose(before: LocalDate("2021-03-01")!) == 28.1425)
        #expect(series.priorClose(before: LocalDate("2021-03-02")!) == 25.625)
        #expect(series.priorClose(before: LocalDate("2021-03-08")!) == 23.605)
        // The risk manager's lookup takes a close at most a week old: past the series' end it refuses.
        #expect(series.lookup(LocalDate("2021-03-09")!) == 23.605)   // 7 days
        #expect(series.lookup(LocalDate("2021-03-10")!) == nil)      // 8 days: the series stops short
        #expect(series.latest?.date == LocalDate("2021-03-02")! && series.latest?.close == 23.605)
    }

    // MARK: Prop firm

    @Test func propFirmLimitsFailTheAccountAndTheTargetStopsTrading() throws {
        func firm(_ mode: RiskConfig.DrawdownMode = .static, daily: Double = 5) -> RiskRules.PropFirm {
            RiskRules.PropFirm(name: "Firm", dailyLossLimit: RiskPercent(percent: daily), maxDrawdown: RiskPercent(percent: 10),
                               drawdownMode: mode, profitTarget: RiskPercent(percent: 8), minTradingDays: 5)
        }
        var risk = riskManager { $0.propFirm = firm() }
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        // Entries stop at the firm's daily limit (₹50,000) like our own.
        #expect(risk.evaluate(buy(), context: riskContext(equity: tenLakh - 4_999_999, dayStart: tenLakh)) == .approved(quantity: 65))
        let daily = try #require(risk.evaluate(buy(), context: riskContext(equity: tenLakh - 5_000_000, dayStart: tenLakh)).rejection)
        #expect(daily.rule == "prop_firm.daily_loss_limit_pct" && daily.limit == 5_000_000)
        // Crossing it fails the account: flatten and halt.
        #expect(risk.watch.floor == tenLakh - 5_000_000)
        let trips = risk.crossedThresholds(equity: tenLakh - 5_000_000, time: ist("2021-03-01", "10:00"))
        #expect(trips.map(\.rule) == ["prop_firm.daily_loss_limit_pct"])
        #expect(trips[0].action == .failed && trips[0].flatten && trips[0].haltsRun && trips[0].severity == .critical)
        #expect(risk.state.propFirmStatus == .failed)
        #expect(risk.evaluate(buy(), context: riskContext(equity: tenLakh)).rule == "prop_firm.daily_loss_limit_pct")

        // The target: 8% of ₹10,00,000 = ₹80,000 of profit, with 3 of 5 trading days.
        var winner = riskManager { $0.propFirm = firm() }
        for d in 1...3 {
            winner.startDay(at: ist("2021-03-0\(d)", "09:15"), equity: tenLakh)
            winner.recordFill()
            winner.recordFill()
        }
        #expect(winner.state.tradingDays == 3)
        #expect(winner.watch.ceiling == tenLakh + 8_000_000)
        #expect(winner.crossedThresholds(equity: tenLakh + 7_999_999, time: 0).isEmpty)
        let target = winner.crossedThresholds(equity: tenLakh + 8_000_000, time: ist("2021-03-03", "11:00"))
        #expect(target.map(\.rule) == ["prop_firm.profit_target_pct"])
        #expect(target[0].action == .targetReached && target[0].flatten && target[0].haltsRun)
        #expect(target[0].message == "Firm: profit ₹80,000.00 reached the target of 8% (₹80,000.00) with 3 of the firm's minimum 5 trading days: 2 more needed; flattening and stopping")
        #expect(winner.state.propFirmStatus == .targetReached)
        #expect(winner.evaluate(buy(), context: riskContext(equity: tenLakh + 8_000_000)).rule == "prop_firm.profit_target_pct")

        // The firm's trailing drawdown follows the peak.
        var trailing = riskManager { $0.propFirm = firm(.trailing, daily: 100) }
        trailing.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        #expect(trailing.watch.floor == tenLakh - 10_000_000)
        trailing.raisePeak(105_000_000)
        #expect(trailing.watch.floor == 105_000_000 - 10_500_000)
        #expect(trailing.crossedThresholds(equity: 94_500_001, time: 0).isEmpty)
        #expect(trailing.crossedThresholds(equity: 94_500_000, time: 0).map(\.rule) == ["prop_firm.max_drawdown_pct"])
    }

    @Test func exitsAreNeverBlocked() {
        var risk = riskManager {
            $0.dailyMaxLoss = RiskPercent(percent: 2); $0.squareOffMinute = 15 * 60 + 20; $0.noEntryLastMinutes = 30
            $0.maxOpenPositions = 1; $0.vixBand = 10...25
        }
        risk.startDay(at: ist("2021-03-01", "09:15"), equity: tenLakh)
        _ = risk.crossedThresholds(equity: tenLakh - 2_000_000, time: ist("2021-03-01", "15:25"))
        let late = riskContext(time: ist("2021-03-01", "15:25"), equity: tenLakh - 2_000_000, dayStart: tenLakh, openPositions: 3, position: -130)
        #expect(risk.evaluate(Signal(symbol: 0, side: .buy, intent: .exit), context: late) == .approved(quantity: 130))
        #expect(risk.evaluate(Signal(symbol: 0, side: .buy, intent: .exit, quantity: 65), context: late) == .approved(quantity: 65))
        #expect(risk.evaluate(buy(), context: late).rule == "risk.daily_max_loss_pct")
    }
}
