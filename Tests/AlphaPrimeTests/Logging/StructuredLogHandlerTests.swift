import Foundation
import Logging
import Synchronization
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

/// A logs directory under a fresh temporary directory, removed afterwards.
final class TemporaryLogs {
    let root: URL
    let logs: URL

    init() {
        root = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-logs-\(UUID().uuidString)")
        logs = root.appending(path: "home/logs")
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func lines(_ file: LogFile) throws -> [String] {
        let text = try String(contentsOf: logs.appending(path: file.fileName), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func objects(_ file: LogFile) throws -> [[String: Any]] {
        try lines(file).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any], "not a JSON object: \(line)")
        }
    }

    /// Every byte of every file in the logs directory.
    func allText() throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: logs.path)
            .map { try String(contentsOf: logs.appending(path: $0), encoding: .utf8) }
            .joined(separator: "\n")
    }
}

final class LogLineClock: Sendable {
    let milliseconds: Atomic<Int64>
    init(_ start: Int64) { milliseconds = Atomic(start) }
    func advance(by ms: Int64) { milliseconds.add(ms, ordering: .relaxed) }
    var read: @Sendable () -> Int64 { { [self] in milliseconds.load(ordering: .relaxed) } }
}

struct SecretLeak: Error, CustomStringConvertible {
    let detail: String
    var description: String { "broker said: \(detail)" }
}

@Suite struct StructuredLogHandlerTests {
    let apiKey = "kitekey8a7s6d5f"
    let apiSecret = "s3cr3t-9f8e7d6c5b4a"
    let accessToken = "Xq7TtEoKj3ZbV9mNwP2aR4sD6fG8hJ0L"

    func logger(_ label: String, sink: LogFileSink, secrets: SecretRegistry, level: Logger.Level = .trace) -> Logger {
        Logger(label: label) { StructuredLogHandler(label: $0, sink: sink, secrets: secrets, level: level) }
    }

    @Test func createsTheMissingDirectoryAndEveryFile() throws {
        let tmp = TemporaryLogs()
        #expect(!FileManager.default.fileExists(atPath: tmp.logs.path))
        let sink = try LogFileSink(directory: tmp.logs)
        for file in LogFile.allCases {
            #expect(FileManager.default.fileExists(atPath: sink.path(of: file).path), "\(file)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: sink.path(of: .all).path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o007 } == 0, "log files are not world-readable")
    }

    @Test func eachLineIsJSONWithTheExpectedFields() throws {
        let tmp = TemporaryLogs()
        let clock = LogLineClock(1_769_485_500_123)
        let sink = try LogFileSink(directory: tmp.logs, clock: clock.read)
        let log = logger("alpha_prime.engine", sink: sink, secrets: SecretRegistry())
        log.info("engine started", metadata: ["engine.mode": "paper", "strategies": .stringConvertible(3)])
        let lines = try tmp.objects(.all)
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line["timestamp"] as? String == "2026-01-27T03:45:00.123Z")
        #expect(line["level"] as? String == "info")
        #expect(line["label"] as? String == "alpha_prime.engine")
        #expect(line["category"] as? String == "engine")
        #expect(line["message"] as? String == "engine started")
        #expect(line["engine.mode"] as? String == "paper")
        #expect(line["strategies"] as? Int == 3)
        #expect(line["pid"] as? Int == Int(ProcessInfo.processInfo.processIdentifier))
        #expect(try tmp.lines(.trades).isEmpty)
        #expect(try tmp.lines(.errors).isEmpty)
    }

    @Test func routesByCategoryAndLevel() throws {
        let tmp = TemporaryLogs()
        let sink = try LogFileSink(directory: tmp.logs)
        let secrets = SecretRegistry()
        let trades = logger(LogCategory.trades.label, sink: sink, secrets: secrets)
        let risk = logger("alpha_prime.risk.limits", sink: sink, secrets: secrets)
        var engine = logger("alpha_prime.engine", sink: sink, secrets: secrets)
        engine[metadataKey: "run.id"] = "r1"

        trades.info("order sent", metadata: ["order.id": "AP-1"])
        risk.warning("daily loss at 80% of limit")
        engine.info("fill reconciled", metadata: ["category": "trades"])
        engine.error("broker unreachable", error: SecretLeak(detail: "timeout"))
        trades.critical("order state unknown", metadata: ["order.id": "AP-2"])
        Logger(label: "NIOCore") { StructuredLogHandler(label: $0, sink: sink, secrets: secrets) }.info("from a dependency")

        #expect(try tmp.lines(.all).count == 6)
        let tradeLines = try tmp.objects(.trades)
        #expect(tradeLines.map { $0["message"] as? String } == ["order sent", "fill reconciled", "order state unknown"])
        #expect(tradeLines[1]["category"] as? String == "trades")
        #expect(tradeLines[1]["run.id"] as? String == "r1")
        #expect(tradeLines[1]["metadata.category"] == nil)
        #expect(try tmp.objects(.risk).map { $0["message"] as? String } == ["daily loss at 80% of limit"])
        let errors = try tmp.objects(.errors)
        #expect(errors.map { $0["level"] as? String } == ["error", "critical"])
        #expect(errors[0]["error"] as? String == "broker said: timeout")
        #expect((errors[0]["file"] as? String)?.hasSuffix("StructuredLogHandlerTests.swift") == true)
        #expect(errors[0]["line"] as? Int != nil)
        #expect(try tmp.objects(.all).last?["category"] as? String == "general")
    }

    @Test func secretsNeverReachAnyFile() throws {
        let tmp = TemporaryLogs()
        let sink = try LogFileSink(directory: tmp.logs)
        let secrets = SecretRegistry(secrets: [apiKey, apiSecret])
        let log = logger("alpha_prime.broker", sink: sink, secrets: secrets)

        // The day's access token is learnt after login.
        secrets.add(accessToken)

        log.info("login ok for \(apiKey) with \(accessToken)")
        log.info("request", metadata: [
            "http.headers": ["Authorization": "token \(apiKey):\(accessToken)"],
            "note": "secret is \(apiSecret)",
            "nested": ["deeper": ["list": ["x", "\(accessToken)"]]],
            "api_secret": "not-configured-but-named",
            "category": "trades",
        ])
        log.error("order failed", error: SecretLeak(detail: "Invalid `api_key` or `access_token`: token \(apiKey):\(accessToken)"))
        log.critical("raw body access_token=freshunknowntoken42&user=AB1234")
        log.warning("\(apiSecret)", metadata: ["x": .stringConvertible(SecretLeak(detail: apiSecret))])

        let text = try tmp.allText()
        for secret in [apiKey, apiSecret, accessToken, "not-configured-but-named", "freshunknowntoken42"] {
            #expect(!text.contains(secret), "a secret reached the logs")
        }
        #expect(text.contains("[REDACTED]"))
        #expect(try tmp.lines(.all).count == 5)
        #expect(try tmp.lines(.trades).count == 1)
        #expect(try tmp.lines(.errors).count == 2)
        // Everything still parses.
        _ = try tmp.objects(.all)
    }

    @Test func concurrentTasksWriteOnlyWholeLines() async throws {
        let tmp = TemporaryLogs()
        // Two sinks on the same directory: like the engine and a cron tool, each with its own
        // open files.
        let sinks = [try LogFileSink(directory: tmp.logs), try LogFileSink(directory: tmp.logs)]
        let secrets = SecretRegistry(secrets: [apiKey])
        let tasks = 16, perTask = 200
        let padding = String(repeating: "x", count: 3_000)
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                let log = logger(t % 2 == 0 ? "alpha_prime.trades" : "alpha_prime.risk", sink: sinks[t % 2], secrets: secrets)
                group.addTask {
                    for i in 0..<perTask {
                        log.info("line \(t)-\(i)", metadata: ["pad": "\(padding)", "key.hint": "\(apiKey)"])
                    }
                }
            }
        }
        let all = try tmp.objects(.all)
        #expect(all.count == tasks * perTask)
        let messages = Set(all.compactMap { $0["message"] as? String })
        #expect(messages.count == tasks * perTask)
        #expect(all.allSatisfy { ($0["pad"] as? String)?.count == 3_000 })
        #expect(try tmp.objects(.trades).count == tasks / 2 * perTask)
        #expect(try tmp.objects(.risk).count == tasks / 2 * perTask)
        #expect(!(try tmp.allText().contains(apiKey)))
    }

    @Test func reopensAFileRenamedByRotation() throws {
        let tmp = TemporaryLogs()
        let clock = LogLineClock(1_769_485_500_000)
        let sink = try LogFileSink(directory: tmp.logs, clock: clock.read)
        let log = logger("alpha_prime.ops", sink: sink, secrets: SecretRegistry())
        log.info("before rotation")
        let rotated = tmp.logs.appending(path: "alpha_prime.log.1")
        try FileManager.default.moveItem(at: sink.path(of: .all), to: rotated)
        try FileManager.default.removeItem(at: sink.path(of: .errors))
        clock.advance(by: 1_500)
        log.error("after rotation")
        #expect(try tmp.objects(.all).map { $0["message"] as? String } == ["after rotation"])
        #expect(try tmp.objects(.errors).map { $0["message"] as? String } == ["after rotation"])
        let old = try String(contentsOf: rotated, encoding: .utf8)
        #expect(old.contains("before rotation") && !old.contains("after rotation"))
        #expect(sink.failedWrites == 0)
    }

    @Test func levelAndMetadataAreValuesPerLogger() throws {
        let tmp = TemporaryLogs()
        let sink = try LogFileSink(directory: tmp.logs)
        var a = logger("alpha_prime.engine", sink: sink, secrets: SecretRegistry(), level: .info)
        var b = a
        b.logLevel = .error
        b[metadataKey: "who"] = "b"
        a.debug("dropped")
        a.info("kept")
        b.warning("dropped too")
        b.error("kept too")
        let lines = try tmp.objects(.all)
        #expect(lines.map { $0["message"] as? String } == ["kept", "kept too"])
        #expect(lines[0]["who"] == nil)
        #expect(lines[1]["who"] as? String == "b")
        a.logLevel = .trace
        _ = a
    }
}
