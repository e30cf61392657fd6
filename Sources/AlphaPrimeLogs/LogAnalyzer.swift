import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging

/// Reads log lines and keeps what `analyze-logs` reports (see ``LogAnalysisReport``).
///
/// Feed it the files of one name together (a live file and its copies, in any order), one name after
/// the other: ``beginFile(_:family:)``, then every line with ``add(_:number:)``.
///
/// - **Duplicates.** Every line is written to `alpha_prime.log` and may be written again to
///   `trades.log`, `risk.log` or `errors.log`. A line is counted once: a text that appears n times in
///   one family and m times in another counts max(n, m) times, so lines missing from one family (its
///   copy deleted, say) still count through another.
/// - **Period.** `since` and `until` are IST days, inclusive, of each line's `timestamp` (when the line
///   was written; a replayed session's lines carry the day it was replayed, not the market day).
/// - **Malformed lines** are counted and the first few named `file:line`; they never stop the reading.
public final class LogAnalyzer {
    public struct Options: Sendable, Equatable {
        public var since: LocalDate?
        public var until: LocalDate?
        /// Rows kept in each table of problems, rules and gaps.
        public var top: Int

        public init(since: LocalDate? = nil, until: LocalDate? = nil, top: Int = 10) {
            self.since = since
            self.until = until
            self.top = top
        }
    }

    let options: Options
    let redactor: SecretRedactor
    static let namedMalformedLines = 10

    private var counted: [Int: Int32] = [:]
    private var familyCounts: [Int: Int32] = [:]
    private var family: String?
    private var file = LogAnalysisReport.FileSummary(file: "", lines: 0, malformed: 0)
    var files: [LogAnalysisReport.FileSummary] = []
    var totals = LogAnalysisReport.Lines()
    var malformedNamed: [String] = []
    var problems: [ProblemKey: Occurrences] = [:]
    var rejections: [String: Occurrences] = [:]
    var riskWarnings: [RiskWarningKey: Occurrences] = [:]
    var strategies: [String: StrategyCounts] = [:]
    var engineLines: [Int64: [EngineLine]] = [:]

    struct ProblemKey: Hashable { var level: Logger.Level; var label: String; var category: String; var message: String }
    struct RiskWarningKey: Hashable { var rule: String; var action: String }

    struct Occurrences {
        var count = 0
        var first = Int64.max
        var last = Int64.min
        var example = ""

        mutating func add(_ time: Int64, example text: @autoclosure () -> String = "") {
            if count == 0 { example = text() }
            count += 1
            first = min(first, time)
            last = max(last, time)
        }
    }

    struct StrategyCounts {
        var signals = 0
        var orders = Set<String>()
        var fills = 0
        var trades = 0
        var netPnL: Int64 = 0
    }

    struct EngineLine {
        var time: Int64
        /// 1 a session starts, -1 it ends, 0 anything else.
        var mark: Int8
        var session: String
    }

    /// - Parameter secrets: every configured secret value; nothing printed from a log line contains one.
    public init(options: Options, secrets: [String] = []) {
        self.options = options
        self.redactor = SecretRedactor(secrets: secrets)
    }

    /// Starts a file; `family` is the live file's name (`alpha_prime.log` for its copies too).
    public func beginFile(_ name: String, family: String) {
        endFile()
        if family != self.family {
            familyCounts.removeAll(keepingCapacity: true)
            self.family = family
        }
        file = .init(file: name, lines: 0, malformed: 0)
    }

    /// Ends the current file (called by the next ``beginFile(_:family:)`` and by ``report()``).
    public func endFile() {
        guard !file.file.isEmpty else { return }
        files.append(file)
        file = .init(file: "", lines: 0, malformed: 0)
    }

    /// The current file could not be read to its end; `reason` names what went wrong.
    public func fileFailed(_ reason: String) {
        file.error = redactor.redact(reason)
    }

    /// One line of the current file, without its newline.
    public func add(_ line: UnsafeBufferPointer<UInt8>, number: Int) {
        var blank = true
        for byte in line where byte != 32 && byte != 9 { blank = false; break }
        if blank { return }
        file.lines += 1
        totals.read += 1
        guard let parsed = LogLineParser.parse(line) else {
            file.malformed += 1
            totals.malformed += 1
            if malformedNamed.count < Self.namedMalformedLines { malformedNamed.append("\(file.file):\(number)") }
            return
        }
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(line))
        let key = hasher.finalize()
        let occurrence = familyCounts[key, default: 0] + 1
        familyCounts[key] = occurrence
        guard occurrence > counted[key, default: 0] else { totals.duplicates += 1; return }
        counted[key] = occurrence
        let day = IST.dateTime(epochMilliseconds: parsed.timestampMilliseconds).date
        if let since = options.since, day < since { totals.outsidePeriod += 1; return }
        if let until = options.until, day > until { totals.outsidePeriod += 1; return }
        count(parsed)
    }

    /// A message with every number written `#` (digits, with `,` or `.` between digits): the kind of a
    /// message whose numbers change (`3 losing trades in a row (the last -₹1,338.36)` →
    /// `# losing trades in a row (the last -₹#)`).
    static func kind(of message: String) -> String {
        let bytes = Array(message.utf8)
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
        guard bytes.indices.contains(where: isDigit) else { return message }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard isDigit(i) else { out.append(bytes[i]); i += 1; continue }
            out.append(UInt8(ascii: "#"))
            while isDigit(i) || (i < bytes.count && (bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: ".")) && isDigit(i + 1)) {
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func count(_ line: ParsedLogLine) {
        totals.counted += 1
        totals.byLevel[line.level.rawValue, default: 0] += 1
        let time = line.timestampMilliseconds
        if line.level >= .warning {
            // Redacted before the numbers are masked, so that a secret with digits is still recognised.
            let message = redactor.redact(line.message)
            let kind = ProblemKey(level: line.level, label: line.label, category: line.category, message: Self.kind(of: message))
            problems[kind, default: .init()].add(time, example: message)
        }
        if line.category == LogCategory.risk.rawValue {
            let rule = line.field("risk.rule")
            if line.field("action") == "rejected" {
                rejections[rule ?? "(no rule)", default: .init()].add(time)
            }
            if line.level == .warning {
                let key = RiskWarningKey(rule: rule ?? line.field("rule") ?? "(no rule)", action: line.field("action") ?? "-")
                riskWarnings[key, default: .init()].add(time, example: line.message)
            }
        }
        if let strategy = line.field("strategy") {
            if line.category == LogCategory.strategy.rawValue, line.message == "signal" {
                strategies[strategy, default: .init()].signals += 1
            } else if line.category == LogCategory.trades.rawValue {
                if let id = line.field("order.client_id"), id != "-", !id.isEmpty {
                    strategies[strategy, default: .init()].orders.insert(id)
                }
                if line.message == "fill" { strategies[strategy, default: .init()].fills += 1 }
                if line.message == "trade closed" {
                    strategies[strategy, default: .init()].trades += 1
                    if let net = line.field("pnl.net").flatMap({ Paise(rupees: $0) }) { strategies[strategy, default: .init()].netPnL += net.value }
                }
            }
        }
        if line.process == "engine", let pid = line.pid {
            let mark: Int8 = line.category == LogCategory.engine.rawValue
                ? (line.message == "session starting" ? 1 : line.message == "session ended" ? -1 : 0) : 0
            engineLines[pid, default: []].append(EngineLine(time: time, mark: mark, session: mark == 1 ? line.field("session.date") ?? "" : ""))
        }
    }
}
