import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore

/// The periods a report covers, and the figures built from a period's records.
@Suite struct PeriodReportTests {
    static func d(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test(arguments: [
        ("2021-02-22", "2021-W08", "2021-02-22", "2021-02-28"),
        ("2021-01-01", "2020-W53", "2020-12-28", "2021-01-03"),  // a Friday in the last ISO week of 2020
        ("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05"),  // a Monday in week 1 of 2025
        ("2026-12-06", "2026-W49", "2026-11-30", "2026-12-06"),  // a Sunday ends its week
    ])
    func isoWeeks(day: String, label: String, first: String, last: String) {
        let week = ReportPeriod.weekly(containing: Self.d(day))
        #expect(week.label == label)
        #expect(week.first == Self.d(first) && week.last == Self.d(last))
        #expect(week.days.count == 7)
        #expect(week.folder == "reports/weekly/\(label)")
    }

    @Test func months() {
        #expect(ReportPeriod.monthly("2024-02")?.days.count == 29)
        #expect(ReportPeriod.monthly("2021-02")?.last == Self.d("2021-02-28"))
        for bad in ["2021-2", "2021-13", "21-02", "2021/02", "", "2021-00"] { #expect(ReportPeriod.monthly(bad) == nil, "\(bad)") }
        #expect(ReportPeriod.previousMonth(of: Self.d("2021-01-04")).label == "2020-12")
        let day = ReportPeriod.daily(Self.d("2021-02-22"))
        #expect(day.before.microseconds - day.from.microseconds == 86_400_000_000)
        #expect(day.from == UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: Self.d("2021-02-22"), secondOfDay: 0)))
    }

    static func trade(_ strategy: String, _ symbol: String, day: String, minute: Int, gross: Int64, charges: Int64) -> TradeRecord {
        let exit = IST.epochSeconds(date: d(day), secondOfDay: 9 * 3600 + 30 * 60 + minute * 60)
        return TradeRecord(mode: .paper, strategy: strategy, symbol: symbol, exchange: "NSE", side: .buy, quantity: 65,
                           entryPrice: Paise(1_500_000), exitPrice: Paise(1_500_000 + gross / 65),
                           entryAt: UTCTimestamp(secondsSinceEpoch: exit - 300), exitAt: UTCTimestamp(secondsSinceEpoch: exit),
                           grossPnl: Paise(gross), charges: Paise(charges), exitReason: "take_profit")
    }

    static func session(_ day: String, cash: Int64, id: Int64) -> EngineSessionRecord {
        EngineSessionRecord(id: id, mode: .paper, tradingDate: d(day), status: .completed, source: "replay \(day)",
                            dayStartCash: Paise(cash), startedAt: UTCTimestamp(secondsSinceEpoch: 0))
    }

    static func input(_ period: ReportPeriod, sessions: [EngineSessionRecord], trades: [TradeRecord], fills: [AccountFill] = [],
                      prop: RiskConfig.PropFirm? = nil, itemize: @escaping @Sendable (AccountFill) -> ChargesBreakdown? = { _ in nil }) -> PeriodReportInput {
        var days: [(date: LocalDate, startCash: Int64, netPnL: Int64)] = []
        for s in sessions {
            let net = trades.filter { PeriodReportInput.istDate($0.exitAt) == s.tradingDate }.reduce(Int64(0)) { $0 + $1.netPnl.value }
            days.append((s.tradingDate, s.dayStartCash.value, net))
        }
        return PeriodReportInput(
            period: period, mode: .paper, calendar: NSECalendarFixture.calendar, sessions: sessions,
            openingEquity: sessions.first?.dayStartCash.value ?? 100_000_000, trades: trades, fills: fills, snapshots: [], riskEvents: [],
            backtestPerformance: [], epochs: [], openPositions: [],
            settings: PeriodReportSettings(startingCapital: 100_000_000, riskPreset: "default", propFirm: prop, itemize: itemize),
            accountDays: days, accountCapital: 100_000_000)
    }

    @Test func aWeekChainsItsDaysExactlyAndMarksTheClosedOnes() {
        let trades = [
            Self.trade("momentum", "NIFTY 50", day: "2021-02-22", minute: 1, gross: 65_000, charges: 4_000),
            Self.trade("momentum", "NIFTY 50", day: "2021-02-22", minute: 9, gross: -13_000, charges: 4_100),
            Self.trade("mean_reversion", "BANKNIFTY", day: "2021-02-24", minute: 3, gross: 26_000, charges: 3_900),
        ]
        let sessions = [Self.session("2021-02-22", cash: 100_000_000, id: 1), Self.session("2021-02-24", cash: 100_043_900, id: 2)]
        let report = PeriodReport(Self.input(.weekly(containing: Self.d("2021-02-24")), sessions: sessions, trades: trades),
                                  generatedAt: UTCTimestamp(secondsSinceEpoch: 0))
        #expect(report.netPnL == 65_000 - 4_000 - 13_000 - 4_100 + 26_000 - 3_900)
        #expect(report.closingEquity - report.openingEquity == report.netPnL)
        #expect(report.days.map(\.tradingDay) == [true, true, true, true, true, false, false])
        #expect(report.days[1].note == "no session: the engine did not run")
        #expect(report.days[5].note == "not a trading day: 2021-02-27 is a Saturday")
        #expect(report.days.map(\.netPnL).reduce(0, +) == report.netPnL)
        #expect(report.metrics.trades.trades == 3 && report.metrics.trades.wins == 2)
        #expect(report.metrics.tradingDays == 2, "the days the account traded; the idle days are shown, not counted")
        #expect(report.byStrategy.map(\.name) == ["momentum", "mean_reversion"], "the larger net P&L first")
        #expect(report.bySymbol.first { $0.name == "BANKNIFTY" }?.netPnL == 22_100)
        #expect(report.tradesCSV.split(separator: "\n").count == 4)
        #expect(report.summaryText.contains("Trades: 3 (2 won, 1 lost"))
    }

    @Test func chargesTheRateTablesDoNotReproduceAreNotItemised() {
        func fill(_ charges: Int64) -> AccountFill {
            AccountFill(fill: FillRecord(id: 1, mode: .paper, orderId: 1, quantity: 65, price: Paise(1_500_000), charges: Paise(charges),
                                         filledAt: UTCTimestamp(secondsSinceEpoch: 0)),
                        clientOrderId: "A1", strategy: "momentum", symbol: "NIFTY 50", exchange: "NSE", side: .buy, product: .mis)
        }
        let breakdown = ChargesBreakdown(brokerage: 2_000, stt: 0, exchangeTransaction: 500, sebiFee: 10, stampDuty: 30, gst: 450, total: 2_990)
        let totals = PeriodReport.chargesByKind([fill(2_990), fill(5_000)]) { $0.fill.charges.value == 2_990 ? breakdown : nil }
        #expect(totals.brokerage == 2_000 && totals.gst == 450 && totals.notItemised == 5_000 && totals.total == 7_990)
        #expect(totals.rows.map(\.1).reduce(0, +) == totals.total)
        let mismatch = PeriodReport.chargesByKind([fill(2_991)]) { _ in breakdown }
        #expect(mismatch.notItemised == 2_991 && mismatch.brokerage == 0, "a total that differs by a paisa is not split")
    }

    @Test func thePropFirmViewMeasuresHeadroomFromTheAccountsHistory() {
        let prop = RiskConfig.PropFirm(name: "Challenge", dailyLossLimitPct: 5, maxDrawdownPct: 10, drawdownMode: .trailing,
                                       profitTargetPct: 8, minTradingDays: 5)
        let trades = [
            Self.trade("momentum", "NIFTY 50", day: "2021-02-22", minute: 1, gross: 3_000_000, charges: 0),
            Self.trade("momentum", "NIFTY 50", day: "2021-02-23", minute: 1, gross: -1_000_000, charges: 0),
        ]
        let sessions = [Self.session("2021-02-22", cash: 100_000_000, id: 1), Self.session("2021-02-23", cash: 103_000_000, id: 2)]
        let report = PeriodReport(Self.input(.daily(Self.d("2021-02-23")), sessions: [sessions[1]], trades: [trades[1]]).with {
            $0.accountDays = [(Self.d("2021-02-22"), 100_000_000, 3_000_000), (Self.d("2021-02-23"), 103_000_000, -1_000_000)]
            $0.settings.propFirm = prop
        }, generatedAt: UTCTimestamp(secondsSinceEpoch: 0))
        let view = try! #require(report.prop)
        #expect(view.dailyLossLimit == 5_000_000 && view.worstDayLoss == 1_000_000 && view.dailyHeadroom == 4_000_000)
        #expect(view.drawdown == 1_000_000, "trailing: from the highest close, ₹10.3 lakh")
        #expect(view.drawdownHeadroom == 9_000_000)
        #expect(view.profit == 2_000_000 && view.profitTarget == 8_000_000 && view.tradingDays == 2)
    }

    @Test func aHolidayHasNoFiguresButAClearNote() {
        let report = PeriodReport(Self.input(.daily(Self.d("2021-02-20")), sessions: [], trades: []),
                                  generatedAt: UTCTimestamp(secondsSinceEpoch: 0))
        #expect(!report.hasTradingDay)
        #expect(report.summaryText.contains("Not a trading day: 2021-02-20 is a Saturday."))
        #expect(report.html.contains("Not a trading day."))
        #expect(report.metrics.tradingDays == 0)
    }
}

extension PeriodReportInput {
    func with(_ change: (inout PeriodReportInput) -> Void) -> PeriodReportInput {
        var copy = self
        change(&copy)
        return copy
    }
}

/// The monthly report's scaling advisor over months built from records.
@Suite struct ScalingAdvisorTests {
    typealias P = PeriodReportTests

    /// A month with one paper session and one trade of `net` (gross, no charges), its drift as given.
    func month(_ label: String, net: Int64, drift: Int64? = 0, breach: Bool = false) -> PeriodReport {
        let period = ReportPeriod.monthly(label)!
        let day = period.first.adding(days: 14).description
        var input = P.input(period, sessions: [P.session(day, cash: 100_000_000, id: 1)],
                            trades: [P.trade("momentum", "NIFTY 50", day: day, minute: 5, gross: net, charges: 0)])
        if breach {
            input.riskEvents = [RiskEventRecord(mode: .paper, occurredAt: UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: LocalDate(day)!, secondOfDay: 40_000)),
                                                rule: RiskRule.dailyMaxLoss, severity: .critical, action: "halted", message: "daily max loss")]
        }
        var report = PeriodReport(input, generatedAt: UTCTimestamp(secondsSinceEpoch: 0))
        report.drift = drift.map {
            PeriodReport.Drift(days: [(LocalDate(day)!, [StrategyDrift(strategy: "momentum", engineTrades: 1, backtestTrades: 1, matched: 1,
                                                                      missedEntries: 0, extraEntries: 0, averageSlippage: 0,
                                                                      engineNetPnL: net + $0, backtestNetPnL: net)])])
        }
        return report
    }

    var risk: RiskConfig { get throws { try ConfigTestHome().load(environment: [:]).risk } }

    @Test func threeStableMonthsProposeOneStepAndAWithdrawal() throws {
        let settings = GeneralConfig.Lifecycle.defaults
        let advice = ScalingAdvisor.advise(months: [month("2021-01", net: 500_000), month("2021-02", net: 300_000), month("2021-03", net: 800_000)],
                                           risk: try risk, riskFile: "risk_config.yaml", settings: settings, capital: 100_000_000)
        #expect(advice.months.map(\.stable) == [true, true, true])
        #expect(advice.stableMonths == 3 && advice.currentRiskPct == 0.5 && advice.proposedRiskPct == 0.55)
        #expect(advice.proposal == "3 stable months in a row: you may raise risk.per_trade_risk_pct in config/risk_config.yaml from 0.5% to 0.55% "
                + "(a step of at most 0.05 points a month, cap 1%); nothing was changed")
        #expect(advice.withdrawal == "withdraw ₹4000.00 (50% of the month's ₹8000.00 net profit); the rest stays to compound")
    }

    @Test func aBreachADriftOrAnIdleMonthResetsTheCount() throws {
        let settings = GeneralConfig.Lifecycle.defaults
        let breached = ScalingAdvisor.advise(months: [month("2021-01", net: 500_000), month("2021-02", net: -300_000, breach: true),
                                                      month("2021-03", net: -100_000)],
                                             risk: try risk, riskFile: "risk_config.yaml", settings: settings, capital: 100_000_000)
        #expect(breached.months.map(\.stable) == [true, false, true] && breached.stableMonths == 1 && breached.proposedRiskPct == nil)
        #expect(breached.months[1].reasons == ["1 limit breach"])
        #expect(breached.proposal == "keep risk.per_trade_risk_pct at 0.5%: 1 of 3 stable months in a row")
        #expect(breached.withdrawal == "no withdrawal: the month made no net profit (₹-1000.00)")

        let drifted = ScalingAdvisor.advise(months: [month("2021-01", net: 1), month("2021-02", net: 1), month("2021-03", net: 1, drift: -600_000)],
                                            risk: try risk, riskFile: "risk_config.yaml", settings: settings, capital: 100_000_000)
        #expect(drifted.months[2].reasons == ["drift ₹-6000.00 beyond ±₹5000.00"])
        #expect(drifted.proposal.hasSuffix("0 of 3 stable months in a row (2021-03: drift ₹-6000.00 beyond ±₹5000.00)"))
        let unmeasured = ScalingAdvisor.advise(months: [month("2021-01", net: 1, drift: nil)], risk: try risk, riskFile: "x", settings: settings,
                                               capital: 100_000_000)
        #expect(unmeasured.months[0].reasons == ["drift not measured"])
    }
}
