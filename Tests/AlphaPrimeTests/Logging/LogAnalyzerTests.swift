import Foundation
import Logging
import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeLogs

/// What analyze-logs counts from lines: a line in two files counts once, the period is IST days,
/// malformed lines are named, secrets never come out, and the tables hold what the engine logs.
@Suite struct LogAnalyzerTests {
    static let secret = "sekr3t-value-123"

    /// A JSON line as the engine writes it, at an IST wall time on 2021-02-22 unless `day` says otherwise.
    static func line(_ time: String, _ level: Logger.Level, _ label: String, _ message: String, day: String = "2021-02-22",
                     pid: Int32 = 100, _ metadata: Logger.Metadata = [:]) -> String {
        let ms = LogLineParser.epochMilliseconds(iso8601: "\(day)T\(time)+05:30")!
        let record = LogRecord(timestampMilliseconds: ms, level: level, label: label, category: LogCategory(label: label), message: message,
                               metadata: metadata, error: nil, errorType: nil, source: "", file: "", function: "", line: 0,
                               process: "engine", pid: pid)
        return String(decoding: LogLineFormat.json(record).dropLast(), as: UTF8.self)
    }

    static func feed(_ analyzer: LogAnalyzer, _ file: String, family: String, _ lines: [String]) {
        analyzer.beginFile(file, family: family)
        var splitter = LogLineSplitter()
        Array((lines.joined(separator: "\n") + "\n").utf8).withUnsafeBytes { splitter.feed($0) { analyzer.add($0, number: $1) } }
        analyzer.endFile()
    }

    static let day: [String] = [
        line("09:15:00.000", .info, "alpha_prime.engine", "session starting", ["session.date": "2021-02-22"]),
        line("09:16:00.000", .info, "alpha_prime.strategy", "signal", ["strategy": "momentum"]),
        line("09:16:00.001", .info, "alpha_prime.trades", "order placed", ["strategy": "momentum", "order.client_id": "A1"]),
        line("09:16:00.002", .info, "alpha_prime.risk", "BUY 65 NIFTY 50 approved", ["action": "approved", "risk.rule": "sizing"]),
        line("09:17:00.000", .info, "alpha_prime.trades", "fill", ["strategy": "momentum", "order.client_id": "A1"]),
        line("09:20:00.000", .info, "alpha_prime.trades", "order placed", ["strategy": "momentum", "order.client_id": "A2"]),
        line("09:21:00.000", .info, "alpha_prime.trades", "fill", ["strategy": "momentum", "order.client_id": "A2"]),
        line("09:21:00.000", .info, "alpha_prime.trades", "trade closed", ["strategy": "momentum", "pnl.net": "-12.35"]),
        line("09:22:00.000", .info, "alpha_prime.risk", "SELL NIFTY 50 rejected: …", ["action": "rejected", "risk.rule": "correlation.groups"]),
        line("09:22:00.000", .info, "alpha_prime.risk", "signal rejected", ["risk.rule": "correlation.groups", "strategy": "momentum"]),
        line("09:23:00.000", .info, "alpha_prime.risk", "SELL NIFTY 50 rejected: …", ["action": "rejected", "risk.rule": "correlation.groups"]),
        line("09:40:00.000", .warning, "alpha_prime.risk", "half the daily limit used; paused", ["action": "paused", "risk.rule": "half_daily"]),
        line("10:00:00.000", .error, "alpha_prime.broker", "broker said \(secret)", ["strategy": "momentum"]),
        line("11:00:00.000", .error, "alpha_prime.broker", "broker said \(secret)"),
        line("15:30:00.000", .info, "alpha_prime.engine", "session ended"),
    ]

    @Test func theEngineDayIsCounted() throws {
        let analyzer = LogAnalyzer(options: .init(), secrets: [Self.secret])
        Self.feed(analyzer, "alpha_prime.log", family: "alpha_prime.log", Self.day)
        Self.feed(analyzer, "trades.log", family: "trades.log", Self.day.filter { $0.contains(#""category":"trades""#) })
        Self.feed(analyzer, "errors.log", family: "errors.log", Self.day.filter { $0.contains(#""level":"error""#) })
        let r = analyzer.report()
        #expect(r.lines.read == 15 + 5 + 2)
        #expect(r.lines.duplicates == 7)
        #expect(r.lines.counted == 15)
        #expect(r.strategies == [.init(strategy: "momentum", signals: 1, orders: 2, fills: 2, trades: 1, netPnl: "-12.35")])
        #expect(r.riskRejections.map { "\($0.rule) \($0.count)" } == ["correlation.groups 2"])
        #expect(r.riskWarnings.map { "\($0.rule) \($0.action) \($0.count)" } == ["half_daily paused 1"])
        let broker = try #require(r.problems.first)
        #expect(broker.count == 2 && broker.level == "error" && broker.component == "alpha_prime.broker" && broker.category == "broker")
        #expect(broker.message == "broker said [REDACTED]" && broker.kind == "broker said [REDACTED]")
        #expect(AnalyzeLogsTextProbe.ist(broker.first) == "2021-02-22 10:00:00 IST")
        #expect(AnalyzeLogsTextProbe.ist(broker.last) == "2021-02-22 11:00:00 IST")
        #expect(r.heartbeats.largestEngineGaps.first?.seconds == 16_200, "11:00 to 15:30 within the session")
        #expect(r.heartbeats.largestEngineGaps.first?.session == "2021-02-22")
        #expect(!r.orderLatency.logged)
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(!json.contains(Self.secret))
    }

    @Test func messagesDifferingOnlyInNumbersAreOneKind() throws {
        #expect(LogAnalyzer.kind(of: "3 losing trades in a row (the last -₹1,338.36)") == "# losing trades in a row (the last -₹#)")
        #expect(LogAnalyzer.kind(of: "square-off at 15:20, v1.2. done 7") == "square-off at #:#, v#. done #")
        #expect(LogAnalyzer.kind(of: "no numbers here") == "no numbers here")
        let analyzer = LogAnalyzer(options: .init())
        Self.feed(analyzer, "risk.log", family: "risk.log", [
            Self.line("10:00:00.000", .warning, "alpha_prime.risk", "3 losing trades in a row (the last -₹1,338.36)"),
            Self.line("11:00:00.000", .warning, "alpha_prime.risk", "4 losing trades in a row (the last -₹950.10)"),
        ])
        let kind = try #require(analyzer.report().problems.first)
        #expect(kind.count == 2 && kind.kind == "# losing trades in a row (the last -₹#)")
        #expect(kind.message == "3 losing trades in a row (the last -₹1,338.36)", "the first message in full")
    }

    /// The same text twice in one file is two events; once more in another file is not a third.
    @Test func aLineInTwoFilesCountsOnceAndRepeatsCountAsOften() {
        let fill = Self.line("09:17:00.000", .info, "alpha_prime.trades", "fill", ["strategy": "momentum", "order.client_id": "A1"])
        let analyzer = LogAnalyzer(options: .init())
        Self.feed(analyzer, "alpha_prime.log.20210222T000000Z.zst", family: "alpha_prime.log", [fill])
        Self.feed(analyzer, "alpha_prime.log", family: "alpha_prime.log", [fill])
        Self.feed(analyzer, "trades.log", family: "trades.log", [fill, fill, fill])
        let r = analyzer.report()
        #expect(r.strategies.first?.fills == 3)
        #expect(r.lines.duplicates == 2)
        #expect(r.files.map(\.file) == ["alpha_prime.log.20210222T000000Z.zst", "alpha_prime.log", "trades.log"])
    }

    @Test func thePeriodIsISTDaysInclusive() {
        let days = [("2021-02-21", "sunday"), ("2021-02-22", "monday"), ("2021-02-23", "tuesday"), ("2021-02-24", "wednesday")]
        let lines = days.flatMap { day, name in
            [Self.line("00:05:00.000", .warning, "alpha_prime.engine", "early \(name)", day: day),
             Self.line("23:55:00.000", .warning, "alpha_prime.engine", "late \(name)", day: day)]
        }
        let analyzer = LogAnalyzer(options: .init(since: LocalDate("2021-02-22"), until: LocalDate("2021-02-23")))
        Self.feed(analyzer, "alpha_prime.log", family: "alpha_prime.log", lines)
        let r = analyzer.report()
        #expect(Set(r.problems.map(\.message)) == ["early monday", "late monday", "early tuesday", "late tuesday"])
        #expect(r.lines.outsidePeriod == 4)
    }

    @Test func malformedLinesAreNamedNotFatalAndNotPrinted() {
        var lines = Self.day
        lines.insert("{\"timestamp\":\"2021-02-22T04:00:00Z\",\"level\":\"error\",\"message\":\"cut \(Self.secret)", at: 2)
        lines.insert("   ", at: 3)
        lines += (0..<12).map { "garbage \($0)" }
        let analyzer = LogAnalyzer(options: .init(top: 1), secrets: [Self.secret])
        Self.feed(analyzer, "alpha_prime.log", family: "alpha_prime.log", lines)
        let r = analyzer.report()
        #expect(r.malformed.count == 13)
        #expect(r.malformed.first.count == LogAnalyzer.namedMalformedLines)
        #expect(r.malformed.first.prefix(2) == ["alpha_prime.log:3", "alpha_prime.log:18"])
        #expect(r.lines.counted == 15)
        #expect(r.problems.count == 1, "--top 1")
        #expect(r.files == [.init(file: "alpha_prime.log", lines: 28, malformed: 13)])
    }
}

/// The text rendering's IST time, for checking a report's times.
enum AnalyzeLogsTextProbe {
    static func ist(_ iso: String) -> String {
        IST.dateTime(epochMilliseconds: LogLineParser.epochMilliseconds(iso8601: iso)!).description
    }
}
