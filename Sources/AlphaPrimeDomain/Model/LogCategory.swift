import Foundation
import Logging

/// What a log line is about. Decides which files it lands in (see ``LogFile``) and lets
/// `analyze-logs` filter by concern.
///
/// The rule, applied to every line:
/// 1. A `category` metadata value (``metadataKey``), when present, is the category (lowercased).
///    It is taken out of the metadata and written as the line's `category` field.
/// 2. Otherwise the logger's label: `alpha_prime.<category>[.<anything>]` gives `<category>`
///    (`alpha_prime.trades` → trades, `alpha_prime.risk.limits` → risk).
/// 3. Otherwise (`alpha_prime` itself, or a dependency's label) it is ``general``.
///
/// Any word is a valid category; only ``trades`` and ``risk`` have files of their own.
public struct LogCategory: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Orders, fills and trades: also written to `logs/trades.log`.
    public static let trades: LogCategory = "trades"
    /// Risk decisions, limits, circuit breakers, the kill switch: also written to `logs/risk.log`.
    public static let risk: LogCategory = "risk"
    /// Anything not given a category.
    public static let general: LogCategory = "general"
    public static let engine: LogCategory = "engine"
    public static let market: LogCategory = "market"
    public static let strategy: LogCategory = "strategy"
    public static let broker: LogCategory = "broker"
    public static let portfolio: LogCategory = "portfolio"
    public static let store: LogCategory = "store"
    public static let config: LogCategory = "config"
    public static let ops: LogCategory = "ops"
    public static let backtest: LogCategory = "backtest"

    /// The label prefix of every ALPHA-PRIME logger.
    public static let labelPrefix = "alpha_prime"
    /// The metadata key that sets a line's category.
    public static let metadataKey = "category"

    /// The logger label for this category: `alpha_prime.trades` (``general`` is `alpha_prime`).
    public var label: String { self == .general ? Self.labelPrefix : "\(Self.labelPrefix).\(rawValue)" }

    public var description: String { rawValue }

    /// The category a logger label implies (rule 2 and 3 above).
    public init(label: String) {
        let prefix = Self.labelPrefix + "."
        guard label.hasPrefix(prefix) else { self = .general; return }
        let rest = label.dropFirst(prefix.count)
        let word = rest.prefix { $0 != "." }
        self = word.isEmpty ? .general : LogCategory(rawValue: word.lowercased())
    }

    /// The category a metadata value names, if it names one.
    package init?(metadataValue value: Logger.Metadata.Value) {
        let text: String
        switch value {
        case .string(let s): text = s
        case .stringConvertible(let c): text = c.description
        case .array, .dictionary: return nil
        }
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !word.isEmpty else { return nil }
        self.rawValue = word
    }
}

extension Logger {
    /// A logger for an ALPHA-PRIME category: `Logger(category: .trades)` has label `alpha_prime.trades`.
    public init(category: LogCategory) {
        self.init(label: category.label)
    }
}
