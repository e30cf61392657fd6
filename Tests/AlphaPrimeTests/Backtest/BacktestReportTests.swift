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

/// 2 paise a unit plus 5 paise a fill: small, but enough to tell gross from net.
struct PerUnitCharges: ChargesModel {
    func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64 {
        2 * quantity + 5
    }
}

/// A throwaway directory, removed by the caller.
func temporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("alpha-prime-report-\(UUID().uuidString)").path
    return path
}

/// Parses RFC 4180 CSV (quoted fields with commas and doubled quotes) into the header and rows.
func csvRows(_ text: String) -> (header: [String], rows: [[String]]) {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, wasQuote = false
    for c in text {
        if quoted {
            if c == "\"" { quoted = false; wasQuote = true } else { field.append(c) }
            continue
        }
        switch c {
        case "\"": if wasQuote { field.append("\"") }; quoted = true
        case ",": row.append(field); field = ""
        case "\n": row.append(field); rows.append(row); row = []; field = ""
        default: field.append(c)
        }
        wasQuote = false
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return (rows.first ?? [], Array(rows.dropFirst()))
}

@Suite struct BacktestReportTests {
    /// A three-day run: two round trips with charges, then a position left open at the end.
    func sampleRun() -> (outcome: BacktestOutcome<ScriptedStrategy>, capital: Int64) {
        var series = BarSeries(symbol: "NIFTY 50", timeframeSeconds: 60)
        let day0: Int64 = 1_609_731_900  // 2021-01-04 09:15 IST
        let closes: [[Int64]] = [
            [1_400_000, 1_401_000, 1_402_500, 1_404_000, 1_403_000, 1_402_000],
            [1_401_500, 1_399_000, 1_396_500, 1_398_000, 1_395_000, 1_394_000],
            [1_396_000, 1_399_500, 1_402_000, 1_405_500, 1_407_000, 1_410_000],
        ]
        for (d, dayCloses) in closes.enumerated() {
            for (i, c) in dayCloses.enumerated() {
                let t = day0 + Int64(d) * 86_400 + Int64(i) * 60
                series.append(Bar(time: t, open: c - 500, high: c + 1_000, low: c - 1_500, close: c))
            }
        }
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 50),
            3: Signal(symbol: 0, side: .sell, intent: .exit),
            6: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 25),
            9: Signal(symbol: 0, side: .sell, intent: .exit),
            13: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 75),
        ])
        let capital: Int64 = 50_000_000  // ₹5 lakh
        let core = TradingCore(strategies: [strategy], instruments: [Instrument(symbol: "NIFTY 50")], startingCapital: capital)
        let broker = SimulatedBroker(charges: PerUnitCharges(), tickSizes: [5])
        return (Backtester.run(core: core, series: [series], broker: broker), capital)
    }

    func runInfo(_ outcome: BacktestOutcome<ScriptedStrategy>) -> BacktestRunInfo {
        BacktestRunInfo(
            runID: BacktestRunInfo.makeRunID(startedAt: 1_767_000_000, strategies: ["scripted, test"]),
            strategies: ["scripted, test"], symbols: ["NIFTY 50"],
            periodStart: LocalDate("2021-01-04"), periodEnd: LocalDate("2021-01-06"),
            bars: outcome.barsProcessed, firstBarTime: outcome.firstBarTime, lastBarTime: outcome.lastBarTime,
            seed: 42, elapsedSeconds: 0.0123, startedAt: 1_767_000_000, dataSources: ["test bars"],
            settings: ["risk_preset": "fixed quantity", "charges": "2 paise/unit + 5 paise/fill"])
    }

    @Test func theRunDirectoryHoldsFourFilesThatReadBack() throws {
        let (outcome, capital) = sampleRun()
        #expect(outcome.trades.count == 2)
        #expect(outcome.ledger.books[0].quantity == 75)
        let run = runInfo(outcome)
        let metrics = PerformanceMetrics(dailyEquity: outcome.dailyEquity, startingCapital: capital, trades: outcome.trades,
                                         exposure: MarketExposure(barsWithPosition: 10, bars: outcome.barsProcessed),
                                         riskFreeRateAnnual: 0.065)
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = BacktestReport.runDirectory(reportsRoot: "\(root)/reports", runID: run.runID)
        let files = try BacktestReport.write(to: directory, run: run, metrics: metrics,
                                             dailyEquity: outcome.dailyEquity, trades: outcome.trades)

        let listing = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(listing == ["daily_equity.csv", "report.html", "summary.json", "trades.csv"])  // no temporary left

        // summary.json decodes back to what was written.
        let summary = try BacktestReport.readSummary(Data(contentsOf: URL(fileURLWithPath: files.summary)))
        #expect(summary.formatVersion == BacktestSummary.currentFormatVersion)
        #expect(summary.run == run)
        #expect(summary.metrics.trades == metrics.trades)
        #expect(summary.metrics.finalEquity == outcome.ledger.equity)
        #expect(summary.metrics.sharpeRatio == metrics.sharpeRatio)
        #expect(summary.metrics.maxDrawdownEpisode == metrics.maxDrawdownEpisode)
        #expect(summary.metrics.exposure == metrics.exposure)
        #expect(summary.metrics.bestDay == metrics.bestDay)
        let raw = try String(contentsOfFile: files.summary, encoding: .utf8)
        #expect(raw.contains("\"first_bar_ist\" : \"2021-01-04T09:15:00+05:30\""))
        #expect(raw.contains("\"gross_pnl_paise\""))

        // trades.csv: one row per trade; its money columns add up to the summary, to the paisa.
        let trades = csvRows(try String(contentsOfFile: files.trades, encoding: .utf8))
        #expect(trades.header == BacktestReportCSV.tradesHeader.split(separator: ",").map(String.init))
        #expect(trades.rows.count == outcome.trades.count)
        func column(_ name: String) -> [Int64] {
            let i = trades.header.firstIndex(of: name)!
            return trades.rows.map { Paise(rupees: $0[i])!.value }
        }
        #expect(column("gross_pnl").reduce(0, +) == summary.metrics.trades.grossPnL)
        #expect(column("charges").reduce(0, +) == summary.metrics.trades.charges)
        #expect(column("net_pnl").reduce(0, +) == summary.metrics.trades.netPnL)
        #expect(trades.rows.allSatisfy { $0.count == trades.header.count })
        #expect(trades.rows[0][0] == "1" && trades.rows[0][1] == "scripted, test" && trades.rows[0][2] == "NIFTY 50")
        #expect(trades.rows[0][3] == "LONG" && trades.rows[0][4] == "50")
        #expect(trades.rows[0][5] == "2021-01-04T09:16:00+05:30" && trades.rows[0][6] == "2021-01-04T09:19:00+05:30")
        // Every trade says what closed it, in the CSV and summed by reason in the summary.
        let reasons = trades.rows.map { $0[trades.header.firstIndex(of: "exit_reason")!] }
        #expect(reasons.allSatisfy { ExitReason(rawValue: $0) != nil }, "\(reasons)")
        #expect(reasons == outcome.trades.map { $0.exitReason?.rawValue ?? "" })
        #expect(summary.metrics.trades.byExitReason.values.reduce(0) { $0 + $1.trades } == outcome.trades.count)
        #expect(summary.metrics.trades.byExitReason.values.reduce(0) { $0 + $1.netPnL } == summary.metrics.trades.netPnL)

        // daily_equity.csv: one row per day; the last is the final equity.
        let daily = csvRows(try String(contentsOfFile: files.dailyEquity, encoding: .utf8))
        #expect(daily.rows.count == outcome.dailyEquity.count)
        #expect(daily.rows.map { $0[0] } == ["2021-01-04", "2021-01-05", "2021-01-06"])
        #expect(Paise(rupees: daily.rows.last![1])?.value == outcome.ledger.equity)
        #expect(Double(daily.rows[0][2]) == Double(outcome.dailyEquity[0].equity) / Double(capital) - 1)

        // report.html: self-contained, three charts.
        let html = try String(contentsOfFile: files.html, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))
        #expect(html.contains("Monthly returns") && html.contains("Drawdown") && html.contains("Equity"))
        #expect(html.contains(ReportFormat.inr(metrics.trades.netPnL)))
        #expect(html.contains("scripted, test"))
        #expect(html.contains("By strategy (net)") && html.contains("By exit reason (net)"))
    }

    @Test func profitAndLossReconcileToThePaisa() {
        let (outcome, capital) = sampleRun()
        let m = PerformanceMetrics(dailyEquity: outcome.dailyEquity, startingCapital: capital, trades: outcome.trades)
        #expect(m.trades.grossPnL == outcome.trades.reduce(0) { $0 + $1.grossPnL })
        #expect(m.trades.charges == outcome.trades.reduce(0) { $0 + $1.charges })
        #expect(m.trades.netPnL == outcome.trades.reduce(0) { $0 + $1.netPnL })
        #expect(m.trades.netPnL == m.trades.grossProfit - m.trades.grossLoss)
        #expect(m.trades.grossPnL - m.trades.charges == m.trades.netPnL)
        // Equity change = closed trades' net P&L + the open position (marked, less its charges so far).
        let ledger = outcome.ledger
        #expect(m.equityChange == ledger.equity - capital)
        #expect(m.trades.grossPnL == ledger.realizedPnL)
        #expect(m.openPnL == ledger.unrealizedPnL - (ledger.totalCharges - m.trades.charges))
        #expect(m.equityChange == m.trades.netPnL + m.openPnL)
    }

    @Test func anEmptyRunStillWritesAReadableReport() throws {
        let run = BacktestRunInfo(runID: "empty-run", strategies: ["none"], symbols: [], bars: 0, elapsedSeconds: 0)
        let metrics = PerformanceMetrics(dailyEquity: [], startingCapital: 1_000_000, trades: [])
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try BacktestReport.write(to: "\(root)/empty-run", run: run, metrics: metrics, dailyEquity: [], trades: [])
        let summary = try BacktestReport.readSummary(Data(contentsOf: URL(fileURLWithPath: files.summary)))
        #expect(summary.metrics.totalReturn.isNaN && summary.metrics.trades.trades == 0)
        let html = try String(contentsOfFile: files.html, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.contains("No trading days"))
        #expect(csvRows(try String(contentsOfFile: files.trades, encoding: .utf8)).rows.isEmpty)
    }

    @Test func writingAgainReplacesTheFiles() throws {
        let run = BacktestRunInfo(runID: "again", strategies: ["s"], symbols: ["X"], bars: 1, elapsedSeconds: 0)
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = PerformanceMetrics(dailyEquity: equityCurve([101_000]), startingCapital: 100_000, trades: [])
        let second = PerformanceMetrics(dailyEquity: equityCurve([99_000]), startingCapital: 100_000, trades: [])
        try BacktestReport.write(to: "\(root)/again", run: run, metrics: first, dailyEquity: equityCurve([101_000]), trades: [])
        let files = try BacktestReport.write(to: "\(root)/again", run: run, metrics: second, dailyEquity: equityCurve([99_000]), trades: [])
        let summary = try BacktestReport.readSummary(Data(contentsOf: URL(fileURLWithPath: files.summary)))
        #expect(summary.metrics.finalEquity == 99_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/again").count == 4)
    }

    @Test func aRunIDThatIsNotADirectoryNameIsRefused() {
        for bad in ["", "..", "../escape", "a/b", ".hidden", "with space"] {
            let run = BacktestRunInfo(runID: bad, strategies: [], symbols: [], bars: 0, elapsedSeconds: 0)
            let metrics = PerformanceMetrics(dailyEquity: [], startingCapital: 1, trades: [])
            #expect(throws: BacktestReportError(path: bad, kind: .invalidRunID)) {
                try BacktestReport.write(to: "/nonexistent/\(bad)", run: run, metrics: metrics, dailyEquity: [], trades: [])
            }
        }
        #expect(BacktestReportError(path: "x", kind: .invalidRunID).exitStatus == .usage)
        #expect(BacktestRunInfo.makeRunID(startedAt: 1_609_472_700, strategies: ["mean_reversion", "breakout scalper"])
                == "20210101-091500_mean_reversion+breakout_scalper")
        #expect(BacktestRunInfo.isValidRunID(BacktestRunInfo.makeRunID(startedAt: 0, strategies: ["a/b", "../c"])))
    }

    @Test func aFileThatCannotBeWrittenNamesItsPath() {
        let run = BacktestRunInfo(runID: "r", strategies: [], symbols: [], bars: 0, elapsedSeconds: 0)
        let metrics = PerformanceMetrics(dailyEquity: [], startingCapital: 1, trades: [])
        do {
            try BacktestReport.write(to: "/proc/alpha-prime-cannot-write/r", run: run, metrics: metrics, dailyEquity: [], trades: [])
            Issue.record("expected a failure")
        } catch {
            #expect(error.description.contains("/proc/alpha-prime-cannot-write"))
            #expect(error.exitStatus == .cantCreate, "the machine refused the write: 73, not a bug")
        }
    }

    @Test func moneyAndTimesAreFormattedExactly() {
        #expect(ReportFormat.inr(123_456_789) == "₹12,34,567.89")
        #expect(ReportFormat.inr(-5) == "-₹0.05")
        #expect(ReportFormat.inr(10_000_000_00) == "₹1,00,00,000.00")
        #expect(ReportFormat.inr(99_999) == "₹999.99")
        #expect(ReportFormat.inr(100_000) == "₹1,000.00")
        #expect(ReportFormat.averagePrice(value: 3 * 10_005 + 10_010, quantity: 4) == "100.06")  // 100.0625
        #expect(ReportFormat.averagePrice(value: 2 * 10_005 + 10_010 * 2, quantity: 4) == "100.08")  // 100.075 → .08
        #expect(ReportFormat.istISO8601(1_609_472_700) == "2021-01-01T09:15:00+05:30")
        #expect(ReportFormat.istISO8601(1_609_439_399) == "2020-12-31T23:59:59+05:30")
        #expect(ReportFormat.csvField("a,b") == "\"a,b\"" && ReportFormat.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportFormat.escape("<P&L>") == "&lt;P&amp;L&gt;")
        #expect(ReportFormat.percent(.nan) == "—" && ReportFormat.ratio(.infinity) == "∞")
    }
}

/// trades.csv is written as bytes; each field must read as the report's own formatting writes it.
@Suite struct TradesCSVBytesTests {
    @Test func everyFieldAsReportFormatWritesIt() {
        let run = BacktestRunInfo(runID: "r", strategies: ["mean, reverting", "breakout \"scalper\""], symbols: ["NIFTY50", "BANKNIFTY"],
                                  bars: 0, elapsedSeconds: 0)
        var trades = [
            closedTrade(net: -5, charges: 0, strategy: 0, symbol: 1, quantity: 3, entry: 1_478_235, entryTime: 1_613_964_900),
            closedTrade(net: 123_456_789, charges: 2_399, strategy: 1, symbol: 0, quantity: 75, entry: 5, entryTime: 946_684_800),
            closedTrade(net: -100, charges: 1, strategy: 1, symbol: 1, quantity: 7, entry: 999, entryTime: 1_767_585_600 + 72_000),
        ]
        trades[0].direction = .sell
        trades[1].exitReason = .stopLoss
        let expected = ([BacktestReportCSV.tradesHeader] + trades.enumerated().map { i, t in
            [String(i + 1), ReportFormat.csvField(run.strategyName(t.strategy)), ReportFormat.csvField(run.symbolName(t.symbol)),
             t.direction == .buy ? "LONG" : "SHORT", String(t.quantity), ReportFormat.istISO8601(t.entryTime),
             ReportFormat.istISO8601(t.exitTime), ReportFormat.averagePrice(value: t.entryValue, quantity: t.quantity),
             ReportFormat.averagePrice(value: t.exitValue, quantity: t.quantity), ReportFormat.rupees(t.entryValue),
             ReportFormat.rupees(t.exitValue), ReportFormat.rupees(t.grossPnL), ReportFormat.rupees(t.charges),
             ReportFormat.rupees(t.netPnL), t.exitReason?.rawValue ?? ""].joined(separator: ",")
        }).joined(separator: "\n") + "\n"
        #expect(BacktestReportCSV.trades(trades, run: run) == expected)
        #expect(expected.contains("\"mean, reverting\""))
        #expect(expected.contains("-0.05"))
    }
}
