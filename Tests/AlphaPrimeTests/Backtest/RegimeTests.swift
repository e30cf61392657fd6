import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore

/// NIFTY 50 daily closes of 2019-01-01 → 2021-03-31 from `Fixtures/regimes/` (NSE's index file:
/// `date,index_name,open,high,low,close`, weekend special sessions included).
private func niftyCloses() throws -> [(date: LocalDate, close: Double)] {
    guard let base = Bundle.module.resourceURL else { throw FixtureError("no resource bundle") }
    let text = try String(contentsOf: base.appendingPathComponent("Fixtures/regimes/nifty50_daily_2019-01_2021-03.csv"), encoding: .utf8)
    return try text.split(separator: "\n").dropFirst().map { line in
        let f = line.split(separator: ",")
        guard f.count == 6, let date = LocalDate(String(f[0])), let close = Double(f[5]) else {
            throw FixtureError("bad NIFTY row \(line)")
        }
        return (date, close)
    }
}

private func day(_ text: String) -> LocalDate { LocalDate(text)! }

/// Regime labels: the documented rule, no look-ahead, and a backtest's results split by them.
@Suite struct RegimeTests {
    let settings = GeneralConfig.Regimes.defaults

    /// On real closes (50/200-day averages, band 1 × 20-day volatility) the 2020 crash is bear once
    /// the fast average has crossed below the slow one, the 2021 rally bull, the turn of August 2020
    /// sideways; every 2020 trading day has a label.
    @Test func realClosesGetTheExpectedRegimes() throws {
        let closes = try niftyCloses()
        let labels = RegimeLabels(settings: settings, closes: closes)
        for (text, regime) in [("2020-03-05", MarketRegime.sideways), ("2020-03-25", .bear), ("2020-06-15", .bear),
                               ("2020-08-03", .sideways), ("2020-12-01", .bull), ("2021-02-15", .bull)] {
            let l = try #require(labels.label(day(text)), "\(text)")
            #expect(l.regime == regime, "\(text): \(l)")
        }
        let crash = try #require(labels.label(day("2020-03-25")))
        #expect(crash.priorDate == day("2020-03-24") && crash.priorClose == 7801.05)
        #expect(crash.fastAverage < crash.slowAverage && crash.gapPct < -crash.bandPct)
        var counts: [MarketRegime: Int] = [:]
        for (date, _) in closes where date.year == 2020 {
            let l = try #require(labels.label(date), "\(date) unlabelled")
            counts[l.regime, default: 0] += 1
        }
        #expect(MarketRegime.allCases.allSatisfy { counts[$0, default: 0] > 20 }, "\(counts)")
    }

    /// A day's label reads nothing from the day itself or after it: every day's label is the same
    /// when every close from that day on is replaced (the future shifted), and it does move when a
    /// close before the day moves.
    @Test func aLabelNeverUsesAFutureBar() throws {
        let closes = try niftyCloses()
        let labels = RegimeLabels(settings: settings, closes: closes)
        var moved = 0
        for k in settings.slowDays..<closes.count {
            let date = closes[k].date
            let original = try #require(labels.label(date))
            var shifted = closes
            for j in k..<closes.count { shifted[j].close = closes[j].close * (j % 2 == 0 ? 0.5 : 1.7) }
            #expect(RegimeLabels(settings: settings, closes: shifted).label(date) == original, "\(date)")
            var past = closes
            past[k - 1].close *= 0.6
            if RegimeLabels(settings: settings, closes: past).label(date) != original { moved += 1 }
        }
        #expect(moved == closes.count - settings.slowDays, "a change of the day before reaches every label")
    }

    /// No label with fewer than slow_days closes before the day, or when the last close is more than
    /// a week old.
    @Test func tooFewOrTooOldClosesGiveNoLabel() throws {
        let closes = try niftyCloses()
        let labels = RegimeLabels(settings: settings, closes: closes)
        #expect(labels.label(closes[settings.slowDays - 1].date) == nil)
        #expect(labels.label(closes[settings.slowDays].date) != nil)
        let last = closes[closes.count - 1].date
        #expect(labels.label(last.adding(days: 7)) != nil)
        #expect(labels.label(last.adding(days: 8)) == nil)
        #expect(RegimeLabels(settings: settings, closes: []).label(last) == nil)
    }

    /// The breakdown splits the run's days and trades by regime, and its rows add up to the run to
    /// the paisa: days, trades, net P&L and the equity change.
    @Test func theBreakdownReconcilesWithTheRun() throws {
        let labels = RegimeLabels(settings: settings, closes: try niftyCloses())
        let start: Int64 = 100_000_000
        let days: [(String, Int64)] = [("2019-06-03", 100_500_000), ("2020-03-24", 99_000_000), ("2020-03-25", 101_000_000),
                                       ("2020-08-03", 100_800_000), ("2021-02-15", 102_000_000), ("2021-02-16", 101_500_000)]
        let equity = days.map { DailyEquity(date: day($0.0), equity: $0.1, realizedPnL: 0, charges: 0) }
        func trade(_ text: String, _ net: Int64) -> ClosedTrade {
            let t = Int64(day(text).daysSinceEpoch) * 86_400 - IST.offsetSeconds + 10 * 3_600
            return ClosedTrade(strategy: 0, symbol: 0, direction: .buy, quantity: 75, entryTime: t, exitTime: t + 600,
                               entryValue: 1_000_000, exitValue: 1_000_000 + net + 2_000, grossPnL: net + 2_000, charges: 2_000)
        }
        let trades = [trade("2019-06-03", 500_000), trade("2020-03-24", -1_500_000), trade("2020-03-25", 2_000_000),
                      trade("2020-08-03", -200_000), trade("2021-02-15", 1_200_000), trade("2021-02-16", -500_000),
                      trade("2021-02-16", 0)]
        let breakdown = RegimeBreakdown(dailyEquity: equity, startingCapital: start, trades: trades, labels: labels)
        #expect(breakdown.rows.map(\.regime) == ["bull", "bear", "sideways", "unlabelled"])
        let byName = Dictionary(uniqueKeysWithValues: breakdown.rows.map { ($0.regime, $0) })
        let bear = try #require(byName["bear"])
        #expect(bear.days == 2 && bear.trades == 2 && bear.netPnL == 500_000 && bear.equityChange == 500_000)
        #expect(bear.worstDay == day("2020-03-24") && bear.worstDayChange == -1_500_000)
        #expect(bear.profitFactor == 2_000_000.0 / 1_500_000.0 && bear.winRate == 0.5)
        let bull = try #require(byName["bull"])
        #expect(bull.days == 2 && bull.trades == 3 && bull.wins == 1 && bull.losses == 1 && bull.netPnL == 700_000)
        #expect(bull.equityChange == 700_000 && bull.charges == 6_000)
        #expect(byName["unlabelled"]?.days == 1 && byName["unlabelled"]?.netPnL == 500_000)
        #expect(breakdown.rows.reduce(0) { $0 + $1.days } == days.count)
        #expect(breakdown.rows.reduce(0) { $0 + $1.trades } == trades.count)
        #expect(breakdown.rows.reduce(Int64(0)) { $0 + $1.netPnL } == trades.reduce(Int64(0)) { $0 + $1.netPnL })
        #expect(breakdown.rows.reduce(Int64(0)) { $0 + $1.equityChange } == days.last!.1 - start)

        let csv = breakdown.csv().split(separator: "\n")
        #expect(csv.first.map(String.init) == RegimeBreakdown.csvHeader && csv.count == 5)
        #expect(csv[2].hasPrefix("bear,2,2,1,1,5000.00,40.00,5000.00,0.005000,0.500000,1.333333,2500.00,2020-03-24,-15000.00,"), "\(csv[2])")
        let dayRows = breakdown.daysCSV().split(separator: "\n")
        #expect(dayRows.count == days.count + 1 && dayRows[1] == "2019-06-03,unlabelled,,,,,,,")
        #expect(dayRows[3].hasPrefix("2020-03-25,bear,2020-03-24,7801.0500,"))
        #expect(breakdown.text().contains("bear           2       2"), "\(breakdown.text())")
    }
}
