import Foundation
import Logging
import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeLogs

/// Log lines read back: what ``LogLineFormat`` writes parses to the same fields, logfmt too, and a
/// line without a timestamp, a level or a message, or cut short, is malformed.
@Suite struct LogLineParserTests {
    static func record(message: String, level: Logger.Level = .info, metadata: Logger.Metadata = [:]) -> LogRecord {
        LogRecord(timestampMilliseconds: 1_769_485_502_123, level: level, label: "alpha_prime.trades", category: .trades,
                  message: message, metadata: metadata, error: level >= .error ? "broker said no" : nil, errorType: nil,
                  source: "AlphaPrimeCore", file: "SessionRun.swift", function: "route()", line: 42, process: "engine", pid: 4321)
    }

    @Test func whatTheWriterWritesReadsBack() throws {
        let metadata: Logger.Metadata = [
            "order": ["client_id": "AP1"], "strategy": "momentum", "quantity": .stringConvertible(65),
            "note": "a \"quoted\" word,\ttab\nnewline \\ back é ₹ \u{1}", "tags": ["a", "b"], "flag": .stringConvertible(true),
        ]
        let line = String(decoding: LogLineFormat.json(Self.record(message: "order placed {x}", level: .error, metadata: metadata)).dropLast(),
                          as: UTF8.self)
        let parsed = try #require(LogLineParser.parse(line))
        #expect(parsed.timestampMilliseconds == 1_769_485_502_123)
        #expect(parsed.level == .error)
        #expect(parsed.label == "alpha_prime.trades")
        #expect(parsed.category == "trades")
        #expect(parsed.message == "order placed {x}")
        #expect(parsed.process == "engine")
        #expect(parsed.pid == 4321)
        #expect(parsed.field("order.client_id") == "AP1")
        #expect(parsed.field("strategy") == "momentum")
        #expect(parsed.field("quantity") == "65")
        #expect(parsed.field("flag") == "true")
        #expect(parsed.field("tags") == #"["a","b"]"#)
        #expect(parsed.field("note") == "a \"quoted\" word,\ttab\nnewline \\ back é ₹ \u{1}")
        #expect(parsed.field("line") == "42")
        #expect(parsed.field("error") == "broker said no")
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        let parsed = try #require(LogLineParser.parse(
            #"{"timestamp":"2026-01-27T03:45:02.123Z","level":"warning","message":"\u20b9 5 \ud83d\ude00 \/ ok"}"#))
        #expect(parsed.message == "₹ 5 😀 / ok")
        #expect(parsed.level == .warning)
        #expect(parsed.category == "general", "no label and no category: general")
    }

    @Test func logfmtLines() throws {
        let parsed = try #require(LogLineParser.parse(
            #"ts=2026-01-27T09:15:02.5+05:30 lvl=warn logger=alpha_prime.risk.limits msg="limit half used" risk.rule=daily_max_loss pid=7"#))
        #expect(parsed.timestampMilliseconds == 1_769_485_502_500)
        #expect(parsed.level == .warning)
        #expect(parsed.category == "risk", "the category follows from the label")
        #expect(parsed.message == "limit half used")
        #expect(parsed.field("risk.rule") == "daily_max_loss")
        #expect(parsed.pid == 7)
    }

    @Test(arguments: [
        "", "not a log line", "{", #"{"timestamp":"2026-01-27T03:45:02.123Z","level":"info","message":"cut"#,
        #"{"level":"info","message":"no time"}"#, #"{"timestamp":"2026-01-27T03:45:02.123Z","message":"no level"}"#,
        #"{"timestamp":"2026-01-27T03:45:02.123Z","level":"info"}"#,
        #"{"timestamp":"2026-01-27 03:45","level":"info","message":"no seconds, no zone"}"#,
        #"{"timestamp":"2026-02-30T03:45:02Z","level":"info","message":"no such day"}"#,
        #"{"timestamp":"2026-01-27T03:45:02Z","level":"loud","message":"no such level"}"#,
        #"{"timestamp":"2026-01-27T03:45:02Z","level":"info","message":"x"} trailing"#,
        #"{"timestamp":"2026-01-27T03:45:02Z","level":"info","message":"x","bad":}"#,
        "ts=2026-01-27T03:45:02Z lvl=info msg=x stray",
    ])
    func malformedLines(line: String) {
        #expect(LogLineParser.parse(line) == nil, "\(line)")
    }

    @Test(arguments: [
        ("2026-01-27T03:45:02Z", 1_769_485_502_000 as Int64), ("2026-01-27T03:45:02.1Z", 1_769_485_502_100),
        ("2026-01-27T03:45:02.123456Z", 1_769_485_502_123), ("2026-01-27T09:15:02.123+05:30", 1_769_485_502_123),
        ("2026-01-27T09:15:02+0530", 1_769_485_502_000), ("1969-12-31T23:59:59.999Z", -1),
    ])
    func timestamps(text: String, milliseconds: Int64) {
        #expect(LogLineParser.epochMilliseconds(iso8601: text) == milliseconds)
    }

    @Test func linesCutAcrossChunksComeOutWhole() {
        let text = "first\r\nsecond line\n\nthird ₹ line\nlast without newline"
        let bytes = Array(text.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var splitter = LogLineSplitter()
            var lines: [(String, Int)] = []
            var start = 0
            while start < bytes.count {
                let chunk = Array(bytes[start..<min(bytes.count, start + size)])
                chunk.withUnsafeBytes { splitter.feed($0) { lines.append((String(decoding: $0, as: UTF8.self), $1)) } }
                start += size
            }
            splitter.finish { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
            #expect(lines.map(\.0) == ["first", "second line", "", "third ₹ line", "last without newline"], "chunks of \(size)")
            #expect(lines.map(\.1) == [1, 2, 3, 4, 5])
        }
    }
}
