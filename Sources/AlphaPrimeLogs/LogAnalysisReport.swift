import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging

/// What `analyze-logs` found: its `--json` output. Times are UTC, ISO-8601 with milliseconds, as in
/// the log lines; money is rupees with two decimals, as the lines write it. Every text taken from a
/// log line has passed through the ``SecretRedactor``.
public struct LogAnalysisReport: Codable, Sendable, Equatable {
    public struct Period: Codable, Sendable, Equatable {
        public var since: String?
        public var until: String?
        public var basis = "IST day of each line's timestamp"
    }

    public struct FileSummary: Codable, Sendable, Equatable {
        public var file: String
        public var lines: Int
        public var malformed: Int
        /// Why the file could not be read to its end (the lines before were counted).
        public var error: String?
    }

    public struct Lines: Codable, Sendable, Equatable {
        /// Non-blank lines read from every file.
        public var read = 0
        /// Lines counted once more in another file (see ``LogAnalyzer``).
        public var duplicates = 0
        public var outsidePeriod = 0
        public var malformed = 0
        /// Lines analysed: read, less duplicates, lines outside the period and malformed lines.
        public var counted = 0
        public var byLevel: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case read, duplicates, outsidePeriod = "outside_period", malformed, counted, byLevel = "by_level"
        }
    }

    public struct Malformed: Codable, Sendable, Equatable {
        public var count: Int
        /// The first few, as `file:line`.
        public var first: [String]
    }

    /// Warnings and errors of one kind: the same level, logger and message once its numbers are
    /// written `#` (``kind``); ``message`` is the first one in full.
    public struct Problem: Codable, Sendable, Equatable {
        public var level: String
        public var component: String
        public var category: String
        public var kind: String
        public var message: String
        public var count: Int
        public var first: String
        public var last: String
    }

    public struct RuleCount: Codable, Sendable, Equatable {
        public var rule: String
        public var count: Int
        public var first: String
        public var last: String
    }

    /// Risk warnings (a circuit breaker pausing or halting entries, a limit half used, a rule not
    /// active): by rule and what the risk stage did, with the first message as an example.
    public struct RiskWarning: Codable, Sendable, Equatable {
        public var rule: String
        public var action: String
        public var count: Int
        public var first: String
        public var last: String
        public var example: String
    }

    public struct Strategy: Codable, Sendable, Equatable {
        public var strategy: String
        public var signals: Int
        /// Distinct client order ids the broker answered.
        public var orders: Int
        public var fills: Int
        /// Closed trades (round trips).
        public var trades: Int
        /// Net P&L of the closed trades, rupees.
        public var netPnl: String

        enum CodingKeys: String, CodingKey { case strategy, signals, orders, fills, trades, netPnl = "net_pnl" }
    }

    public struct Latency: Codable, Sendable, Equatable {
        public var logged: Bool
        public var note: String
    }

    public struct Gap: Codable, Sendable, Equatable {
        public var pid: Int64
        public var session: String
        public var seconds: Double
        public var from: String
        public var to: String
    }

    public struct Heartbeats: Codable, Sendable, Equatable {
        public var logged: Bool
        public var note: String
        /// The longest silences between two consecutive lines of one engine process within a session.
        public var largestEngineGaps: [Gap]

        enum CodingKeys: String, CodingKey { case logged, note, largestEngineGaps = "largest_engine_gaps" }
    }

    public var period: Period
    public var files: [FileSummary]
    public var lines: Lines
    public var malformed: Malformed
    public var problems: [Problem]
    public var riskRejections: [RuleCount]
    public var riskWarnings: [RiskWarning]
    public var strategies: [Strategy]
    public var orderLatency: Latency
    public var heartbeats: Heartbeats

    enum CodingKeys: String, CodingKey {
        case period, files, lines, malformed, problems, riskRejections = "risk_rejections", riskWarnings = "risk_warnings"
        case strategies, orderLatency = "order_latency", heartbeats
    }

    static let latencyNote = """
        order latencies are not logged: the engine writes no send or acknowledgement time per order \
        ('order placed' is written when the broker has answered); engine benchmark measures them
        """
    static let heartbeatNote = """
        heartbeats are not logged: the engine records them in the state database (engine status shows \
        the last one); listed instead are the longest silences between two lines of one engine process \
        within a session (a quiet market is silent too)
        """
}

extension LogAnalyzer {
    /// The report of every line added so far.
    public func report() -> LogAnalysisReport {
        endFile()
        let top = max(0, options.top)
        let r = redactor
        func iso(_ ms: Int64) -> String { LogLineFormat.iso8601(milliseconds: ms) }
        let problemRows = problems.sorted { ($0.value.count, $1.value.first) > ($1.value.count, $0.value.first) }.prefix(top).map {
            LogAnalysisReport.Problem(level: $0.key.level.rawValue, component: r.redact($0.key.label), category: r.redact($0.key.category),
                                      kind: r.redact($0.key.message), message: r.redact($0.value.example), count: $0.value.count,
                                      first: iso($0.value.first), last: iso($0.value.last))
        }
        let rejectionRows = rejections.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map {
            LogAnalysisReport.RuleCount(rule: r.redact($0.key), count: $0.value.count, first: iso($0.value.first), last: iso($0.value.last))
        }
        let warningRows = riskWarnings.sorted { ($0.value.count, $1.key.rule) > ($1.value.count, $0.key.rule) }.prefix(top).map {
            LogAnalysisReport.RiskWarning(rule: r.redact($0.key.rule), action: r.redact($0.key.action), count: $0.value.count,
                                          first: iso($0.value.first), last: iso($0.value.last), example: r.redact($0.value.example))
        }
        let strategyRows = strategies.sorted { $0.key < $1.key }.map {
            LogAnalysisReport.Strategy(strategy: r.redact($0.key), signals: $0.value.signals, orders: $0.value.orders.count,
                                       fills: $0.value.fills, trades: $0.value.trades, netPnl: Paise($0.value.netPnL).description)
        }
        return LogAnalysisReport(
            period: .init(since: options.since?.description, until: options.until?.description),
            files: files, lines: totals, malformed: .init(count: totals.malformed, first: malformedNamed),
            problems: Array(problemRows), riskRejections: rejectionRows, riskWarnings: Array(warningRows), strategies: strategyRows,
            orderLatency: .init(logged: false, note: LogAnalysisReport.latencyNote),
            heartbeats: .init(logged: false, note: LogAnalysisReport.heartbeatNote, largestEngineGaps: largestGaps(top: top)))
    }

    /// Within each session of each engine process (from its "session starting" line to its
    /// "session ended" line), the gaps between consecutive lines, longest first.
    func largestGaps(top: Int) -> [LogAnalysisReport.Gap] {
        var gaps: [(length: Int64, pid: Int64, session: String, from: Int64)] = []
        for (pid, lines) in engineLines {
            var session: String?
            var previous: Int64 = 0
            for line in lines.sorted(by: { $0.time < $1.time }) {
                if let current = session, line.time > previous {
                    gaps.append((line.time - previous, pid, current, previous))
                }
                if line.mark == 1 { session = line.session } else if line.mark == -1 { session = nil }
                previous = line.time
            }
        }
        return gaps.sorted { ($0.length, $1.from) > ($1.length, $0.from) }.prefix(top).map {
            LogAnalysisReport.Gap(pid: $0.pid, session: redactor.redact($0.session), seconds: Double($0.length) / 1_000,
                                  from: LogLineFormat.iso8601(milliseconds: $0.from),
                                  to: LogLineFormat.iso8601(milliseconds: $0.from + $0.length))
        }
    }
}
