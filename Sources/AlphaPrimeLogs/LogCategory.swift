import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging

/// The files under `logs/`.
public enum LogFile: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Every line.
    case all
    /// Lines whose category is ``LogCategory/trades``.
    case trades
    /// Lines whose category is ``LogCategory/risk``.
    case risk
    /// Every line at `error` or `critical`, whatever its category.
    case errors

    public var fileName: String {
        switch self {
        case .all: "alpha_prime.log"
        case .trades: "trades.log"
        case .risk: "risk.log"
        case .errors: "errors.log"
        }
    }

    public var description: String { fileName }

    /// The files a line goes to: always ``all``; ``trades`` or ``risk`` by category; ``errors``
    /// from `error` up.
    public static func destinations(category: LogCategory, level: Logger.Level) -> Set<LogFile> {
        var files: Set<LogFile> = [.all]
        if category == .trades { files.insert(.trades) }
        if category == .risk { files.insert(.risk) }
        if level >= .error { files.insert(.errors) }
        return files
    }
}
