import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The files of one backtest run, as written.
public struct BacktestReportFiles: Sendable, Equatable {
    public var directory: String
    public var summary: String
    public var trades: String
    public var dailyEquity: String
    public var html: String
}

/// Writes a backtest run's directory: `summary.json`, `trades.csv`, `daily_equity.csv`, `report.html`.
///
/// Every file is written atomically (temporary name, fsync, rename, fsync of the directory), and
/// `summary.json` last: a run directory with a summary is complete.
public enum BacktestReport {
    public static let summaryFile = "summary.json"
    public static let tradesFile = "trades.csv"
    public static let dailyEquityFile = "daily_equity.csv"
    public static let htmlFile = "report.html"

    /// `<reports root>/backtest/<run-id>` (the root is usually `<home>/reports`).
    public static func runDirectory(reportsRoot: String, runID: String) -> String {
        "\(reportsRoot)/backtest/\(runID)"
    }

    /// Writes the run directory (created with its parents when missing; files in it are replaced).
    /// - Parameters:
    ///   - directory: the run directory, e.g. ``runDirectory(reportsRoot:runID:)``.
    ///   - run: what the command knows about the run; `run.strategies` and `run.symbols` name the
    ///     trades' strategy indices and symbol ids.
    ///   - metrics: ``PerformanceMetrics`` of the same days and trades (its starting capital is used).
    ///   - dailyEquity: ``BacktestOutcome/dailyEquity``.
    ///   - trades: ``BacktestOutcome/trades``.
    @discardableResult
    public static func write(to directory: String, run: BacktestRunInfo, metrics: PerformanceMetrics,
                             dailyEquity: [DailyEquity], trades: [ClosedTrade]) throws(BacktestReportError) -> BacktestReportFiles {
        guard BacktestRunInfo.isValidRunID(run.runID) else {
            throw BacktestReportError(path: run.runID, kind: .invalidRunID)
        }
        try AtomicReportFile.makeDirectories(directory)
        let files = BacktestReportFiles(
            directory: directory, summary: "\(directory)/\(summaryFile)", trades: "\(directory)/\(tradesFile)",
            dailyEquity: "\(directory)/\(dailyEquityFile)", html: "\(directory)/\(htmlFile)")

        try AtomicReportFile.write(BacktestReportCSV.tradesBytes(trades, run: run), to: files.trades)
        try AtomicReportFile.write(BacktestReportCSV.dailyEquity(dailyEquity, startingCapital: metrics.startingCapital),
                                   to: files.dailyEquity)
        try AtomicReportFile.write(BacktestReportHTML.page(run: run, metrics: metrics, dailyEquity: dailyEquity, trades: trades), to: files.html)
        try AtomicReportFile.write(try summaryJSON(BacktestSummary(run: run, metrics: metrics)), to: files.summary)
        return files
    }

    /// The summary as pretty-printed JSON with sorted keys (also what `backtest --json` prints).
    /// Writes only `summary.json` of a run directory.
    public static func writeSummary(to directory: String, run: BacktestRunInfo, metrics: PerformanceMetrics) throws(BacktestReportError) {
        guard BacktestRunInfo.isValidRunID(run.runID) else {
            throw BacktestReportError(path: run.runID, kind: .invalidRunID)
        }
        try AtomicReportFile.makeDirectories(directory)
        try AtomicReportFile.write(try summaryJSON(BacktestSummary(run: run, metrics: metrics)), to: "\(directory)/\(summaryFile)")
    }

    public static func summaryJSON(_ summary: BacktestSummary) throws(BacktestReportError) -> [UInt8] {
        // Every Double goes through encodeRatio (non-finite → null), so NaN does not fail the encoding.
        try AtomicReportFile.json(summary, file: summaryFile)
    }

    /// Reads a `summary.json` back.
    public static func readSummary(_ bytes: Data) throws -> BacktestSummary {
        try JSONDecoder().decode(BacktestSummary.self, from: bytes)
    }
}
