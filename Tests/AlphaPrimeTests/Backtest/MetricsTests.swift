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

/// Day-end equity on consecutive weekdays from Monday 2021-01-04.
func equityCurve(_ equity: [Int64], from start: LocalDate = LocalDate(year: 2021, month: 1, day: 4)!) -> [DailyEquity] {
    var date = start
    return equity.map { e in
        defer { repeat { date = date.adding(days: 1) } while date.isWeekend }
        return DailyEquity(date: date, equity: e, realizedPnL: 0, charges: 0)
    }
}

func closedTrade(net: Int64, charges: Int64 = 0, strategy: Int = 0, symbol: SymbolID = 0, quantity: Int64 = 1,
                 entry: Int64 = 10_000, entryTime: Int64 = 1_609_472_700) -> ClosedTrade {
    let gross = net + charges
    return ClosedTrade(strategy: strategy, symbol: symbol, direction: .buy, quantity: quantity, entryTime: entryTime,
                       exitTime: entryTime + 600, entryValue: entry * quantity, exitValue: entry * quantity + gross,
                       grossPnL: gross, charges: charges)
}

@Suite struct MetricsTests {
    let d = { (s: String) in LocalDate(s)! }

    @Test func aKnownDrawdownHasItsDepthDatesAndDuration() {
        // ₹1,000 → 1,100 → 1,210 (peak, Tue) → 968 (−20 %) → 1,089 → 1,210 (recovered, Fri) → 1,250.
        let days = equityCurve([110_000, 121_000, 96_800, 108_900, 121_000, 125_000])
        let m = PerformanceMetrics(dailyEquity: days, startingCapital: 100_000, trades: [])
        #expect(m.maxDrawdown == -0.2)
        let dd = m.maxDrawdownEpisode
        #expect(dd?.amount == 24_200)
        #expect(dd?.peakEquity == 121_000 && dd?.troughEquity == 96_800)
        #expect(dd?.peakDate == d("2021-01-05"))
        #expect(dd?.troughDate == d("2021-01-06"))
        #expect(dd?.recoveryDate == d("2021-01-08"))
        #expect(dd?.peakToTroughDays == 1)
        #expect(dd?.tradingDays == 3)
        #expect(m.maxDrawdownDays == 3)
        #expect(m.longestDrawdownDays == 3)
        #expect(m.totalReturn == 0.25)
        #expect(m.tradingDays == 6 && m.finalEquity == 125_000 && m.equityChange == 25_000)
        #expect(m.bestDay?.date == d("2021-01-07") && m.bestDay?.dailyReturn == 0.125 && m.bestDay?.change == 12_100)
        #expect(m.worstDay?.date == d("2021-01-06") && m.worstDay?.change == -24_200)
        #expect(abs(m.worstDay!.dailyReturn + 0.2) < 1e-15)
        #expect(m.calmarRatio == m.annualReturn / 0.2)
        #expect(m.annualReturn == pow(1.25, 1 / (6.0 / 252)) - 1)
        // From returns (empyrical's way) the same depth.
        let r = ReturnStatistics.dailyReturns(startingCapital: 100_000, equity: days.map(\.equity))
        #expect(abs(ReturnStatistics.maxDrawdown(r) + 0.2) < 1e-15)
    }

    @Test func aDrawdownFromTheStartThatNeverRecovers() {
        let days = equityCurve([90_000, 80_000, 85_000])
        let m = PerformanceMetrics(dailyEquity: days, startingCapital: 100_000, trades: [])
        let dd = m.maxDrawdownEpisode
        #expect(m.maxDrawdown == -0.2)
        #expect(dd?.peakDate == nil)          // the peak is the starting capital
        #expect(dd?.troughDate == d("2021-01-05"))
        #expect(dd?.recoveryDate == nil && dd?.recovered == false)
        #expect(dd?.peakToTroughDays == 2 && dd?.tradingDays == 3)
        #expect(m.longestDrawdownDays == 3)
    }

    @Test func theLongestDrawdownNeedNotBeTheDeepest() {
        // A shallow 4-day dip, then a deep 2-day one.
        let days = equityCurve([100_000, 99_000, 98_500, 99_500, 100_000, 101_000, 80_000, 101_500])
        let m = PerformanceMetrics(dailyEquity: days, startingCapital: 100_000, trades: [])
        #expect(m.maxDrawdownEpisode?.troughEquity == 80_000)
        #expect(m.maxDrawdownEpisode?.tradingDays == 2)
        #expect(m.longestDrawdownDays == 4)
    }

    @Test func aFlatCurveHasNoRiskAndUndefinedRatios() {
        let days = equityCurve(Array(repeating: 500_000, count: 10))
        let m = PerformanceMetrics(dailyEquity: days, startingCapital: 500_000, trades: [])
        #expect(m.totalReturn == 0 && m.annualReturn == 0)
        #expect(m.annualVolatility == 0)
        #expect(m.sharpeRatio.isNaN && m.sortinoRatio.isNaN && m.calmarRatio.isNaN)
        #expect(m.maxDrawdown == 0 && m.maxDrawdownEpisode == nil && m.maxDrawdownDays == 0 && m.longestDrawdownDays == 0)
        #expect(m.bestDay?.dailyReturn == 0 && m.worstDay?.dailyReturn == 0)
    }

    @Test func noDaysMeansNoReturnFigures() {
        let m = PerformanceMetrics(dailyEquity: [], startingCapital: 500_000, trades: [])
        #expect(m.totalReturn.isNaN && m.annualReturn.isNaN && m.maxDrawdown.isNaN && m.sharpeRatio.isNaN)
        #expect(m.finalEquity == 500_000 && m.tradingDays == 0 && m.bestDay == nil && m.firstDate == nil)
    }

    @Test func aCurveThatOnlyRisesHasAnUnboundedSortino() {
        let days = equityCurve([101_000, 102_500, 103_000, 104_200])
        let m = PerformanceMetrics(dailyEquity: days, startingCapital: 100_000, trades: [])
        #expect(m.sortinoRatio == .infinity)
        #expect(m.sharpeRatio.isFinite && m.sharpeRatio > 0)
        #expect(m.calmarRatio.isNaN)  // no drawdown
    }

    @Test func theRiskFreeRateIsConvertedToDailyAsEmpyricalDoes() {
        #expect(ReturnStatistics.dailyRate(annual: 0.065) == pow(1.065, 1.0 / 252) - 1)
        #expect(ReturnStatistics.dailyRate(annual: 0) == 0)
        let days = equityCurve([101_000, 100_500, 102_000, 101_000, 103_000])
        let withRate = PerformanceMetrics(dailyEquity: days, startingCapital: 100_000, trades: [], riskFreeRateAnnual: 0.065)
        let without = PerformanceMetrics(dailyEquity: days, startingCapital: 100_000, trades: [])
        #expect(withRate.sharpeRatio < without.sharpeRatio)
        #expect(withRate.annualVolatility == without.annualVolatility)
    }

    @Test func tradeStatisticsAreExactSums() {
        let trades = [
            closedTrade(net: 1_000, charges: 20), closedTrade(net: 2_501, charges: 20), closedTrade(net: -700, charges: 20),
            closedTrade(net: 0, charges: 20), closedTrade(net: -300, charges: 20), closedTrade(net: -1, charges: 20),
            closedTrade(net: 4_000, charges: 20),
        ]
        let t = TradeStatistics(trades)
        #expect(t.trades == 7 && t.wins == 3 && t.losses == 3 && t.breakeven == 1)
        #expect(t.netPnL == 6_500 && t.charges == 140 && t.grossPnL == 6_640)
        #expect(t.grossProfit == 7_501 && t.grossLoss == 1_001)
        #expect(t.winRate == 3.0 / 7.0)
        #expect(t.profitFactor == 7_501.0 / 1_001.0)
        #expect(t.expectancy == 929)           // 6_500 / 7 = 928.57 → 929
        #expect(t.averageWin == 2_500)         // 7_501 / 3 = 2_500.33
        #expect(t.averageLoss == -334)         // −1_001 / 3 = −333.67 → −334
        #expect(t.largestWin == 4_000 && t.largestLoss == -700)
        #expect(t.maxConsecutiveWins == 2)     // the breakeven trade ends streaks
        #expect(t.maxConsecutiveLosses == 2)
        #expect(abs(t.payoffRatio - (7_501.0 / 3) / (1_001.0 / 3)) < 1e-15)
    }

    @Test func averagesRoundHalfAwayFromZero() {
        #expect(TradeStatistics.roundedAverage(5, 2) == 3)
        #expect(TradeStatistics.roundedAverage(-5, 2) == -3)
        #expect(TradeStatistics.roundedAverage(7, 3) == 2)
        #expect(TradeStatistics.roundedAverage(-7, 3) == -2)
        #expect(TradeStatistics.roundedAverage(1, 0) == nil)
    }

    @Test func allWinningTradesHaveAnUnboundedProfitFactorWrittenAsNull() throws {
        let trades = [closedTrade(net: 500), closedTrade(net: 700), closedTrade(net: 1)]
        let m = PerformanceMetrics(dailyEquity: equityCurve([100_500, 101_201]), startingCapital: 100_000, trades: trades)
        #expect(m.trades.profitFactor == .infinity)
        #expect(m.trades.maxConsecutiveWins == 3 && m.trades.maxConsecutiveLosses == 0)
        #expect(m.trades.averageLoss == nil && m.trades.largestLoss == nil)
        let json = try JSONSerialization.jsonObject(with: Data(BacktestReport.summaryJSON(
            BacktestSummary(run: BacktestRunInfo(runID: "r", strategies: ["s"], symbols: ["X"], bars: 0, elapsedSeconds: 0),
                            metrics: m)))) as! [String: Any]
        let metrics = json["metrics"] as! [String: Any]
        #expect(metrics["profit_factor"] is NSNull)
        #expect(metrics["average_loss_paise"] is NSNull)
        #expect(metrics["calmar_ratio"] is NSNull)
        #expect(metrics["trades"] as? Int == 3)
        #expect(metrics["net_pnl_paise"] as? Int == 1_201)
        // Read back, the profit factor is recomputed from the exact sums: still unbounded.
        let back = try BacktestReport.readSummary(Data(BacktestReport.summaryJSON(
            BacktestSummary(run: BacktestRunInfo(runID: "r", strategies: [], symbols: [], bars: 0, elapsedSeconds: 0), metrics: m))))
        #expect(back.metrics.trades.profitFactor == .infinity)
        #expect(back.metrics.trades == m.trades)
    }

    @Test func noTradesGiveUndefinedTradeRatios() {
        let t = TradeStatistics([])
        #expect(t.winRate.isNaN && t.profitFactor.isNaN && t.payoffRatio.isNaN)
        #expect(t.expectancy == nil && t.averageWin == nil && t.largestWin == nil)
    }

    @Test func exposureIsTheDriversCount() {
        let m = PerformanceMetrics(dailyEquity: equityCurve([100_000]), startingCapital: 100_000, trades: [],
                                   exposure: MarketExposure(barsWithPosition: 150, bars: 600))
        #expect(m.exposure?.fraction == 0.25)
        #expect(MarketExposure(barsWithPosition: 0, bars: 0).fraction.isNaN)
    }

    @Test func monthlyReturnsChainMonthEnds() {
        let days = [
            DailyEquity(date: d("2021-11-30"), equity: 105_000, realizedPnL: 0, charges: 0),
            DailyEquity(date: d("2021-12-01"), equity: 100_000, realizedPnL: 0, charges: 0),
            DailyEquity(date: d("2021-12-31"), equity: 110_000, realizedPnL: 0, charges: 0),
            DailyEquity(date: d("2022-01-03"), equity: 99_000, realizedPnL: 0, charges: 0),
            DailyEquity(date: d("2022-03-01"), equity: 121_000, realizedPnL: 0, charges: 0),
        ]
        let table = MonthlyReturns(startingCapital: 100_000, days: days)
        #expect(table.years.map(\.year) == [2021, 2022])
        #expect(table.years[0].months[10] == 105_000.0 / 100_000 - 1)
        #expect(table.years[0].months[11] == 110_000.0 / 105_000 - 1)
        #expect(table.years[0].total == 110_000.0 / 100_000 - 1)
        #expect(table.years[1].months[0] == 99_000.0 / 110_000 - 1)
        #expect(table.years[1].months[1] == nil)
        #expect(table.years[1].months[2] == 121_000.0 / 99_000 - 1)
        #expect(table.years[1].total == 121_000.0 / 110_000 - 1)
        #expect(table.years[0].months[0] == nil)
    }
}

extension MetricsTests {
    @Test func noStartingCapitalLeavesReturnsUndefinedButMoneyExact() throws {
        // The backtester's own tests run with a starting capital of 0: metrics must not trap.
        let trades = [closedTrade(net: 200), closedTrade(net: -50)]
        let m = PerformanceMetrics(dailyEquity: equityCurve([200, 150]), startingCapital: 0, trades: trades)
        #expect(!m.totalReturn.isFinite)
        #expect(m.trades.netPnL == 150 && m.equityChange == 150 && m.openPnL == 0)
        let json = try BacktestReport.summaryJSON(BacktestSummary(
            run: BacktestRunInfo(runID: "zero", strategies: [], symbols: [], bars: 0, elapsedSeconds: 0), metrics: m))
        #expect(try BacktestReport.readSummary(Data(json)).metrics.trades == m.trades)
        let html = BacktestReportHTML.page(run: BacktestRunInfo(runID: "zero", strategies: [], symbols: [], bars: 0, elapsedSeconds: 0),
                                           metrics: m, dailyEquity: equityCurve([200, 150]))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
    }
}
