import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// One kind of thing wrong with, or worth knowing about, market data.
public enum DataProblemKind: String, Hashable, Sendable, Codable, DeclarationOrdered {
    // A row that cannot be used: rejected (policy `skip`) or fatal (policy `fail`).
    case unparsable
    case nonPositivePrice = "non_positive_price"
    case highBelowLow = "high_below_low"
    case openOutsideRange = "open_outside_range"
    case closeOutsideRange = "close_outside_range"
    case negativeVolume = "negative_volume"
    case subPaisaPrice = "sub_paisa_price"
    case duplicateTimestamp = "duplicate_timestamp"
    case outOfOrder = "out_of_order"
    case misalignedTime = "misaligned_time"
    case nonTradingDay = "non_trading_day"
    case outsideSession = "outside_session"
    // A known quirk handled on import: reported, never fatal.
    case preOpenRow = "pre_open_row"
    case closingRow = "closing_row"
    case roundedPrice = "rounded_price"
    // Coverage against the trading calendar: reported; fatal only when asked (`--gaps fail`).
    case missingTradingDay = "missing_trading_day"
    case missingBars = "missing_bars"

    public enum Severity: String, Sendable, Codable {
        /// The row is wrong and is not used.
        case error
        /// A known quirk of the source, handled as documented (dropped or rounded).
        case notice
        /// Bars the calendar expects are not there.
        case gap
    }

    public var severity: Severity {
        switch self {
        case .preOpenRow, .closingRow, .roundedPrice: .notice
        case .missingTradingDay, .missingBars: .gap
        default: .error
        }
    }

    /// What the kind means, for the summary.
    public var meaning: String {
        switch self {
        case .unparsable: "row cannot be read"
        case .nonPositivePrice: "price zero or negative"
        case .highBelowLow: "high below low"
        case .openOutsideRange: "open outside [low, high]"
        case .closeOutsideRange: "close outside [low, high]"
        case .negativeVolume: "negative volume"
        case .subPaisaPrice: "price finer than a paisa"
        case .duplicateTimestamp: "timestamp repeated"
        case .outOfOrder: "timestamp earlier than the row before"
        case .misalignedTime: "bar not on the session's grid"
        case .nonTradingDay: "bar on a day the exchange was closed"
        case .outsideSession: "bar outside the session"
        case .preOpenRow: "pre-open row dropped"
        case .closingRow: "closing-price row after the close dropped"
        case .roundedPrice: "price rounded to the paisa"
        case .missingTradingDay: "trading day with no bars"
        case .missingBars: "bars missing inside a session"
        }
    }
}

/// One problem, where it is: `data/x.csv:12: high_below_low: high 101.00 < low 102.00`.
public struct DataProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public var kind: DataProblemKind
    public var file: String
    /// 1-based line of the row (for a gap: the first row after it).
    public var line: Int
    /// Bars concerned: 1 for a row; the number of missing bars for `missing_bars`; the number of
    /// missing days for `missing_trading_day`.
    public var bars: Int
    public var message: String

    public init(kind: DataProblemKind, file: String, line: Int, bars: Int = 1, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.bars = bars
        self.message = message
    }

    public var description: String { "\(file):\(line): \(kind.rawValue): \(message)" }
}

/// Every problem found in a run, counted by kind. All occurrences are counted; the first
/// `keepPerKind` of each kind are kept with their message (a broken file can have a million).
public struct ProblemLog: Sendable, Equatable {
    public private(set) var problems: [DataProblem] = []
    /// Occurrences by kind (rows, or gaps for the gap kinds).
    public private(set) var occurrences: [DataProblemKind: Int] = [:]
    /// Bars concerned by kind (equal to occurrences except for gaps).
    public private(set) var bars: [DataProblemKind: Int] = [:]
    public var keepPerKind: Int

    public init(keepPerKind: Int = 1_000) { self.keepPerKind = keepPerKind }

    public mutating func record(_ kind: DataProblemKind, file: String, line: Int, bars count: Int = 1,
                                _ message: @autoclosure () -> String) {
        let seen = occurrences[kind, default: 0]
        occurrences[kind] = seen + 1
        bars[kind, default: 0] += count
        if seen < keepPerKind {
            problems.append(DataProblem(kind: kind, file: file, line: line, bars: count, message: Self.printable(message())))
        }
    }

    /// A message as it may be printed: control bytes of a garbage file (NUL included) shown as
    /// `\u{XX}`, and at most 500 characters.
    public static func printable(_ message: String) -> String { PrintableText.escaped(message) }

    public mutating func merge(_ other: ProblemLog) {
        for (kind, n) in other.occurrences {
            let before = occurrences[kind, default: 0]
            let room = max(0, keepPerKind - before)
            problems.append(contentsOf: other.problems.lazy.filter { $0.kind == kind }.prefix(room))
            occurrences[kind] = before + n
            bars[kind, default: 0] += other.bars[kind, default: 0]
        }
    }

    public func count(_ kind: DataProblemKind) -> Int { occurrences[kind, default: 0] }
    public func count(_ severity: DataProblemKind.Severity) -> Int {
        occurrences.reduce(0) { $0 + ($1.key.severity == severity ? $1.value : 0) }
    }
    public var errorCount: Int { count(.error) }
    public var isEmpty: Bool { occurrences.isEmpty }
    /// Kept problems in file and line order.
    public var sorted: [DataProblem] {
        problems.sorted { ($0.file, $0.line, $0.kind) < ($1.file, $1.line, $1.kind) }
    }
}
