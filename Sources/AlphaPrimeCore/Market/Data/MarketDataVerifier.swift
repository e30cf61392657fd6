import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// One canonical file as the verifier saw it.
public struct VerifiedFile: Hashable, Sendable, Codable {
    public var path: String
    public var symbol: String
    public var timeframe: Timeframe
    public var rowsRead: Int
    public var barsPassed: Int
    public var firstBar: Int64?
    public var lastBar: Int64?
}

/// The outcome of verifying canonical files.
public struct VerifyResult: Sendable {
    public var files: [VerifiedFile]
    public var log: ProblemLog
    public var policy: BadRowPolicy
    public var gapsFail: Bool
    /// False when there was no trading calendar: only the row and order checks ran.
    public var calendarChecked: Bool

    public var passed: Bool {
        if policy == .skip { return true }
        return log.errorCount == 0 && (!gapsFail || log.count(.gap) == 0)
    }
}

/// Verifies canonical bar files (``CanonicalCSV``): every row readable, every bar sound, in order,
/// inside its session and on its grid, and every trading day and session slot covered.
/// Each file is checked on its own.
public enum MarketDataVerifier {
    public static func verify(_ urls: [URL], calendar: TradingCalendar?, naiveZone: MarketZone? = nil,
                              timeframe: Timeframe? = nil, policy: BadRowPolicy = .fail, gapsFail: Bool = false,
                              keepPerKind: Int = 1_000) throws -> VerifyResult {
        var log = ProblemLog(keepPerKind: keepPerKind)
        var files: [VerifiedFile] = []
        for url in urls {
            let path = url.relativePath
            var rowsLog = ProblemLog(keepPerKind: keepPerKind)
            let options = CanonicalCSV.Options(timeframe: timeframe, naiveZone: naiveZone)
            let sourced = try CanonicalCSV.scan(path: path, options: options, strict: false, log: &rowsLog).bars
            let tf = Timeframe(seconds: sourced.series.timeframeSeconds) ?? .oneMinute
            let validator = BarValidator(calendar: calendar, timeframe: tf)
            let kept = validator.validate(TracedBars(sourced, file: path), log: &rowsLog)
            log.merge(rowsLog)
            files.append(VerifiedFile(path: path, symbol: sourced.series.symbol, timeframe: tf,
                                      rowsRead: sourced.series.count + rowsLog.count(.unparsable) + rowsLog.count(.subPaisaPrice),
                                      barsPassed: kept.series.count, firstBar: kept.series.time.first, lastBar: kept.series.time.last))
        }
        return VerifyResult(files: files, log: log, policy: policy, gapsFail: gapsFail, calendarChecked: calendar != nil)
    }
}
